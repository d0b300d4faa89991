/** OpenAPI security requirement of routes that need a signed-in user: an API token or a session cookie. */
export const userSecurity: Array<Record<string, string[]>> = [{ bearer: [] }, { session: [] }];
