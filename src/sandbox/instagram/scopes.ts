/** Instagram Login scopes (reference §3.1) and what the consent screen says about each. */
export const INSTAGRAM_SCOPES: Record<string, string> = {
  instagram_business_basic: 'Access profile and media',
  instagram_business_content_publish: 'Create and publish content',
  instagram_business_manage_comments: 'Access and manage comments',
  instagram_business_manage_messages: 'Access and manage messages',
  instagram_business_manage_insights: 'Access insights',
};

/** Scope names deprecated on 2025-01-27 (`business_basic`, …): refused like any unknown scope. */
export const DEPRECATED_SCOPES = new Set(
  Object.keys(INSTAGRAM_SCOPES).map((scope) => scope.replace(/^instagram_/, '')),
);

/** The scope parameter, comma or (URL-encoded) space separated. */
export const parseScopes = (raw: string | undefined): string[] => [
  ...new Set(
    (raw ?? '')
      .split(/[\s,]+/)
      .map((scope) => scope.trim())
      .filter(Boolean),
  ),
];

export const invalidScopes = (scopes: string[]): string[] => scopes.filter((scope) => !(scope in INSTAGRAM_SCOPES));
