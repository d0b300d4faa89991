import { z } from 'zod';

/** The closed lists below are shared by the API schemas and the database schema. */
export const PROVIDER_IDS = ['instagram', 'instagram_login', 'facebook_page', 'linkedin', 'linkedin_org'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
export const ACCOUNT_STATUSES = ['active', 'expiring', 'needs_reconnect', 'disconnected'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export const ACCOUNT_EVENT_TYPES = [
  'connected',
  'reconnected',
  'refreshed',
  'refresh_failed',
  'validated',
  'needs_reconnect',
  'disconnected',
  'revoked_by_provider',
] as const;
export type AccountEventType = (typeof ACCOUNT_EVENT_TYPES)[number];
export const FLOW_STATUSES = ['pending', 'selecting', 'completed', 'failed'] as const;
/** How a connect attempt ended (kept for the admin view after its flow is gone). */
export const CONNECT_OUTCOMES = ['completed', 'failed'] as const;

export const providerId = z.enum(PROVIDER_IDS);
export const accountStatus = z.enum(ACCOUNT_STATUSES);

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
    refreshTokenExpiresAt: z.iso
      .datetime()
      .nullable()
      .describe(
        'When the refresh token ends (LinkedIn: fixed at connect, not extended by refreshing); null without one.',
      ),
    lastRefreshedAt: z.iso.datetime().nullable(),
    grantedScopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ConnectedAccount' });
export type ConnectedAccount = z.infer<typeof connectedAccount>;

export const connectedAccountList = z.object({ accounts: z.array(connectedAccount) });
export type ConnectedAccountList = z.infer<typeof connectedAccountList>;

export const accountEvent = z
  .object({
    id: z.uuid(),
    type: z.enum(ACCOUNT_EVENT_TYPES),
    reason: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AccountEvent' });
export type AccountEvent = z.infer<typeof accountEvent>;

export const connectedAccountDetail = connectedAccount
  .extend({
    lastCheckedAt: z.iso.datetime().nullable(),
    events: z.array(accountEvent).describe('Most recent first.'),
  })
  .meta({ id: 'ConnectedAccountDetail' });
export type ConnectedAccountDetail = z.infer<typeof connectedAccountDetail>;

export const connectBody = z.object({
  reconnectAccountId: z.uuid().optional().describe('Reconnect this account; the flow must end on the same account.'),
});

export const connectResponse = z.object({
  loginUrl: z.url().describe("Send the user's browser here."),
  state: z.string().describe('The single-use state bound to you; it comes back to the callback.'),
});
export type ConnectResponse = z.infer<typeof connectResponse>;

export const flowCandidate = z.object({
  id: z.string().describe('The external id of the account; send it back in `candidateIds`.'),
  username: z.string().nullable(),
  displayName: z.string().nullable(),
  profilePictureUrl: z.string().nullable(),
  parent: z.object({ id: z.string(), name: z.string() }).nullable(),
  alreadyConnected: z.boolean(),
});

export const flowView = z
  .object({
    id: z.uuid(),
    provider: providerId,
    status: z.enum(FLOW_STATUSES),
    expiresAt: z.iso.datetime(),
    candidates: z.array(flowCandidate),
    problems: z.array(z.object({ id: z.string(), name: z.string(), reason: z.string() })),
  })
  .meta({ id: 'ConnectFlow' });
export type FlowView = z.infer<typeof flowView>;

export const selectBody = z.object({
  candidateIds: z.array(z.string().min(1)).min(1, 'pick at least one account').max(50),
});
export const selectResponse = z.object({ accountIds: z.array(z.uuid()) });
