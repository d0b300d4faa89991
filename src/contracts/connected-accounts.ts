import { z } from 'zod';

export const providerId = z.enum(['instagram', 'instagram_login', 'facebook_page', 'linkedin', 'linkedin_org']);
export const accountStatus = z.enum(['active', 'expiring', 'needs_reconnect', 'disconnected']);

/** A connected account as the API shows it: never a token. */
export const connectedAccount = z
  .object({
    id: z.uuid(),
    provider: providerId,
    username: z.string().nullable(),
    displayName: z.string().nullable(),
    profilePictureUrl: z.string().nullable(),
    parent: z.object({ id: z.string(), name: z.string() }).nullable(),
    status: accountStatus,
    statusReason: z.string().nullable(),
    tokenExpiresAt: z.iso.datetime().nullable(),
    dataAccessExpiresAt: z.iso.datetime().nullable(),
    lastRefreshedAt: z.iso.datetime().nullable(),
    grantedScopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ConnectedAccount' });
export type ConnectedAccount = z.infer<typeof connectedAccount>;

export const connectedAccountList = z.object({ accounts: z.array(connectedAccount) });
export type ConnectedAccountList = z.infer<typeof connectedAccountList>;
