import type { AppInput, FaultInput, RandomFaultsInput } from './control/schemas.ts';
import type { SandboxApp } from './core/apps.ts';
import { controlCaller, type Fetch } from './core/control-call.ts';
import type { FaultQueue } from './core/faults.ts';
import type { LoggedRequest } from './core/request-log.ts';
import type { Revocation, TokenRecord } from './core/tokens.ts';
import type { UsageLimits } from './core/usage.ts';
import type { FacebookPage, FacebookPagePost, FacebookUser } from './facebook/model.ts';
import type { InstagramAccount, InstagramContainer, InstagramMedia } from './instagram/model.ts';
import type { LinkedInImage, LinkedInMember, LinkedInOrganization, LinkedInPost } from './linkedin/model.ts';

interface CallbackResult {
  response: { status: number; body: string; json: unknown };
}

/** Typed client of the sandbox control API, for tests and benchmarks. */
export function createSandboxClient(baseUrl: string, fetchImpl: Fetch = fetch) {
  const call = controlCaller(baseUrl, '', fetchImpl);
  const query = (params: Record<string, string | number | undefined>) => {
    const entries = Object.entries(params).filter(([, value]) => value !== undefined) as [string, string][];
    return entries.length ? `?${new URLSearchParams(entries)}` : '';
  };

  return {
    reset: (options: { seed?: boolean } = {}) => call<{ ok: true }>('POST', '/reset', options),
    state: () => call<Record<string, unknown>>('GET', '/state'),
    advanceClock: (ms: number) => call<{ now: string; offsetMs: number }>('POST', '/clock/advance', { ms }),
    queueFault: (endpoint: string, fault: FaultInput, times = 1) =>
      call<{ faults: unknown[] }>('POST', '/faults', { endpoint, fault, times }),
    clearFaults: () => call<{ faults: [] }>('DELETE', '/faults'),
    faults: () => call<{ faults: unknown[]; random: ReturnType<FaultQueue['random']> }>('GET', '/faults'),
    setRandomFaults: (settings: RandomFaultsInput) =>
      call<ReturnType<FaultQueue['random']>>('PUT', '/faults/random', settings),
    stopRandomFaults: () => call<ReturnType<FaultQueue['random']>>('DELETE', '/faults/random'),
    requests: (filter: { host?: string; endpoint?: string; since?: number } = {}) =>
      call<{ requests: LoggedRequest[] }>('GET', `/requests${query(filter)}`).then((r) => r.requests),
    clearRequests: () => call<{ requests: [] }>('DELETE', '/requests'),
    upsertApp: (id: string, app: Partial<AppInput>) => call<SandboxApp>('PUT', `/apps/${encodeURIComponent(id)}`, app),
    setLimits: (limits: Partial<UsageLimits>) => call<UsageLimits>('PUT', '/limits', limits),
    tokens: (subjectId?: string) =>
      call<{ tokens: TokenRecord[] }>('GET', `/tokens${query({ subjectId })}`).then((r) => r.tokens),
    revokeTokens: (target: { token: string } | { subjectId: string; appId?: string }, subcode: Revocation['subcode']) =>
      call<{ revoked: number }>('POST', '/tokens/revoke', { ...target, subcode }),
    putFacebookUser: (user: FacebookUser) => call<FacebookUser>('PUT', `/facebook/users/${user.id}`, user),
    putFacebookPage: (page: FacebookPage) => call<FacebookPage>('PUT', `/facebook/pages/${page.id}`, page),
    putInstagramAccount: (account: InstagramAccount) =>
      call<InstagramAccount>('PUT', `/instagram/accounts/${account.id}`, account),
    putLinkedInMember: (member: LinkedInMember) =>
      call<LinkedInMember>('PUT', `/linkedin/members/${member.sub}`, member),
    putLinkedInOrganization: (organization: LinkedInOrganization) =>
      call<LinkedInOrganization>('PUT', `/linkedin/organizations/${organization.id}`, organization),
    /** Sends a signed_request to a Deauthorize or Data Deletion callback URL and returns the answer. */
    sendSignedRequest: (input: {
      kind: 'deauthorize' | 'data_deletion';
      url: string;
      appId: string;
      userId: string;
      valid?: boolean;
    }) =>
      call<CallbackResult & { signedRequest: string; deletionAnswerOk: boolean }>(
        'POST',
        '/callbacks/signed-request',
        input,
      ),
    verifyWebhook: (input: { url: string; verifyToken: string }) =>
      call<CallbackResult & { challenge: string; verified: boolean }>('POST', '/callbacks/verify', input),
    sendWebhookEvent: (input: {
      url: string;
      appId: string;
      object: 'page' | 'instagram';
      entry: Array<Record<string, unknown>>;
      valid?: boolean;
    }) => call<CallbackResult>('POST', '/callbacks/webhook', input),
    published: () =>
      call<{
        facebook: FacebookPagePost[];
        instagram: { containers: InstagramContainer[]; media: InstagramMedia[] };
        linkedin: { posts: LinkedInPost[]; images: LinkedInImage[] };
      }>('GET', '/published'),
  };
}

export type SandboxClient = ReturnType<typeof createSandboxClient>;
