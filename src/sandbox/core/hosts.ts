/**
 * Each real host the sandbox stands in for is served under its own path prefix, with every path
 * below it exactly as on the real host (so `https://graph.facebook.com/v25.0/me` becomes
 * `<sandbox>/graph-facebook/v25.0/me`).
 */
export const SANDBOX_HOSTS = {
  facebookWww: { prefix: '/facebook-www', host: 'www.facebook.com' },
  facebookGraph: { prefix: '/graph-facebook', host: 'graph.facebook.com' },
  facebookRupload: { prefix: '/rupload-facebook', host: 'rupload.facebook.com' },
  instagramWww: { prefix: '/instagram-www', host: 'www.instagram.com' },
  instagramApi: { prefix: '/api-instagram', host: 'api.instagram.com' },
  instagramGraph: { prefix: '/graph-instagram', host: 'graph.instagram.com' },
  linkedinWww: { prefix: '/linkedin-www', host: 'www.linkedin.com' },
  linkedinApi: { prefix: '/linkedin-api', host: 'api.linkedin.com' },
  /** A small CDN serving sample media (JPEG images, video metadata) that publishing tests point at. */
  media: { prefix: '/media', host: 'media.sandbox' },
} as const;

export type SandboxHostName = keyof typeof SANDBOX_HOSTS;

/** The control API used by tests and the UI: seeding, clock, faults, request log. */
export const CONTROL_PREFIX = '/__control';

/** Base URLs of every emulated host, for configuring a client against a sandbox at `baseUrl`. */
export function sandboxUrls(baseUrl: string): Record<SandboxHostName, string> {
  const base = baseUrl.replace(/\/+$/, '');
  return Object.fromEntries(
    Object.entries(SANDBOX_HOSTS).map(([name, { prefix }]) => [name, `${base}${prefix}`]),
  ) as Record<SandboxHostName, string>;
}
