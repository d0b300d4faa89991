import { z } from 'zod';
import { type ProviderId, providerId } from './connected-accounts.ts';
import { POST_KINDS, type PostKind } from './posts.ts';

/**
 * `sandboxed`: the instance runs in sandbox mode, where providers talk to the built-in emulator;
 * `configured`: its credentials are set, so it is in the registry; `not_configured`: they are not.
 */
export const PROVIDER_STATES = ['sandboxed', 'configured', 'not_configured'] as const;
export type ProviderState = (typeof PROVIDER_STATES)[number];

/** The platform a provider posts to: Instagram through either login is one platform. */
export const PLATFORMS = ['instagram', 'facebook', 'linkedin'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface CatalogueEntry {
  /** The name used until the provider is in the registry, which then names it. */
  displayName: string;
  /** What connecting it gives, in one line. */
  description: string;
  platform: Platform;
  /** Its folder under `src/providers/`, where its SETUP.md lives. */
  folder: string;
  /** The environment variables it needs (docs/configuration.md). */
  env: readonly string[];
  kinds: readonly PostKind[];
}

/**
 * Every provider Tether knows, whether or not it is configured or implemented here: the registry
 * decides what is usable, this says what each one is and what it needs.
 */
export const PROVIDER_CATALOGUE: Record<ProviderId, CatalogueEntry> = {
  instagram: {
    displayName: 'Instagram (via Facebook Login)',
    description: 'Instagram professional accounts linked to a Facebook Page.',
    platform: 'instagram',
    folder: 'instagram',
    env: ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'],
    kinds: POST_KINDS,
  },
  instagram_login: {
    displayName: 'Instagram (Instagram Login)',
    description: 'Instagram professional accounts, no Facebook Page needed.',
    platform: 'instagram',
    folder: 'instagram-login',
    env: ['INSTAGRAM_APP_ID', 'INSTAGRAM_APP_SECRET'],
    kinds: POST_KINDS,
  },
  facebook_page: {
    displayName: 'Facebook Pages',
    description: 'Facebook Pages you manage.',
    platform: 'facebook',
    folder: 'facebook-page',
    env: ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'],
    kinds: ['feed'],
  },
  linkedin: {
    displayName: 'LinkedIn',
    description: 'Your own LinkedIn profile.',
    platform: 'linkedin',
    folder: 'linkedin',
    env: ['LINKEDIN_CLIENT_ID', 'LINKEDIN_CLIENT_SECRET'],
    kinds: ['feed'],
  },
  linkedin_org: {
    displayName: 'LinkedIn Pages',
    description: 'LinkedIn Pages (organizations) you administer.',
    platform: 'linkedin',
    folder: 'linkedin-org',
    env: ['LINKEDIN_ORG_CLIENT_ID', 'LINKEDIN_ORG_CLIENT_SECRET'],
    kinds: ['feed'],
  },
};

export const providerInfo = z
  .object({
    id: providerId,
    displayName: z.string(),
    description: z.string(),
    platform: z.enum(PLATFORMS),
    state: z.enum(PROVIDER_STATES),
    canConnect: z
      .boolean()
      .describe('Accounts can be connected on this instance (false for a provider this version does not have yet).'),
    canPublish: z.boolean().describe('Posts can be published to its accounts on this instance.'),
    canRevoke: z
      .boolean()
      .describe("Disconnecting revokes Tether's access at the platform; where not, the user removes the app there."),
    kinds: z.array(z.enum(POST_KINDS)).describe('The post kinds its accounts take.'),
    env: z.array(z.string()).describe('The environment variables that configure it.'),
    setupGuideUrl: z
      .string()
      .nullable()
      .describe('Where its setup guide is served as Markdown (`GET /api/providers/:id/setup`); null without one.'),
  })
  .meta({ id: 'Provider' });
export type ProviderInfo = z.infer<typeof providerInfo>;

export const providerList = z.object({ providers: z.array(providerInfo).describe('In the order of PROVIDER_IDS.') });
export type ProviderList = z.infer<typeof providerList>;
