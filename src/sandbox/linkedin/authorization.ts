import { MINUTE } from '../core/clock.ts';
import { randomToken } from '../core/ids.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { LinkedInMember, LinkedInPendingAuthorization } from './model.ts';
import { sameScopes } from './scopes.ts';

/** Authorization codes live 30 minutes and work once (reference §8.1, §9.2). */
export const CODE_TTL_MS = 30 * MINUTE;

export const grantKey = (appId: string, sub: string) => `${appId} ${sub}`;

/** The member the consent page is "signed in" as: the one chosen in the settings, else the first seeded. */
export function signedInMember(sandbox: Sandbox): LinkedInMember | undefined {
  const { members, settings } = sandbox.linkedin;
  if (settings.signedInMemberSub) return members.get(settings.signedInMemberSub);
  return members.values().next().value;
}

/** `redirectUri` with the given parameters added to its query. */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * The member allowed: record the grant and hand out a code. Approving a different scope set than
 * the member's previous grant for this app invalidates every earlier token of that grant (§8.1).
 */
export function approve(sandbox: Sandbox, pending: LinkedInPendingAuthorization): string {
  const { linkedin, clock, tokens } = sandbox;
  const key = grantKey(pending.appId, pending.memberSub);
  const previous = linkedin.grants.get(key);
  if (previous && !sameScopes(previous, pending.scopes)) {
    tokens.revokeSubject(
      { appId: pending.appId, subjectId: pending.memberSub },
      { subcode: 458, message: 'The member authorized a different set of scopes' },
    );
  }
  linkedin.grants.set(key, [...pending.scopes]);
  const code = randomToken('AQ', 140);
  linkedin.codes.set(code, {
    code,
    appId: pending.appId,
    redirectUri: pending.redirectUri,
    memberSub: pending.memberSub,
    scopes: [...pending.scopes],
    authorizedAt: clock.now(),
    expiresAt: clock.now() + CODE_TTL_MS,
    used: false,
  });
  return redirectWith(pending.redirectUri, { code, state: pending.state });
}

export function cancel(pending: LinkedInPendingAuthorization): string {
  return redirectWith(pending.redirectUri, {
    error: 'user_cancelled_authorize',
    error_description: 'The user cancelled the authorization',
    state: pending.state,
  });
}

/** Whether the consent page may be skipped: the setting is on and the member approved exactly these scopes. */
export function mayAutoApprove(sandbox: Sandbox, pending: LinkedInPendingAuthorization): boolean {
  const previous = sandbox.linkedin.grants.get(grantKey(pending.appId, pending.memberSub));
  return sandbox.linkedin.settings.skipConsentWhenGranted && !!previous && sameScopes(previous, pending.scopes);
}
