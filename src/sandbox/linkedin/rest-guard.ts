import type { FastifyRequest } from 'fastify';
import { DAY } from '../core/clock.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import type { LinkedInMember } from './model.ts';
import { restErrors } from './rest-errors.ts';

/** How many monthly versions are live: the current month of the virtual clock and the 11 before it. */
export const LIVE_VERSION_MONTHS = 12;

export interface RestCaller {
  token: TokenRecord;
  member: LinkedInMember;
  /** The `LinkedIn-Version` header (only on `/rest/*`). */
  version: string;
}

const header = (request: FastifyRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const monthIndex = (year: number, month: number) => year * 12 + month;

/** The `LinkedIn-Version` values live at `nowMs`, newest first (e.g. `202611` … `202512`). */
export function liveVersions(nowMs: number): string[] {
  const now = new Date(nowMs);
  const current = monthIndex(now.getUTCFullYear(), now.getUTCMonth());
  return Array.from({ length: LIVE_VERSION_MONTHS }, (_, back) => {
    const index = current - back;
    return `${Math.floor(index / 12)}${String((index % 12) + 1).padStart(2, '0')}`;
  });
}

/** The bearer token's record, or the 401 LinkedIn gives for a missing, unknown, expired or revoked one. */
export function bearerToken(sandbox: Sandbox, request: FastifyRequest): TokenRecord {
  const match = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization') ?? '');
  if (!match) throw restErrors.emptyToken();
  const state = sandbox.tokens.check(match[1]);
  if (!state.ok) {
    if (state.reason === 'expired') throw restErrors.expiredToken();
    if (state.reason === 'revoked') throw restErrors.revokedToken();
    throw restErrors.invalidToken();
  }
  if (state.record.kind !== 'linkedin_access') throw restErrors.invalidToken();
  return state.record;
}

/** Daily counters per app and per member; the window is the UTC day of the virtual clock (reference §8.7). */
function countCall(sandbox: Sandbox, token: TokenRecord): void {
  const day = new Date(sandbox.clock.now()).toISOString().slice(0, 10);
  const appCalls = sandbox.usage.hit(`linkedin:app:${token.appId}:${day}`, DAY);
  const memberCalls = sandbox.usage.hit(`linkedin:member:${token.appId}:${token.subjectId}:${day}`, DAY);
  if (appCalls > sandbox.linkedin.settings.appCallsPerDay) throw restErrors.throttled('APPLICATION');
  if (memberCalls > sandbox.usage.limits.linkedinCallsPerDay) throw restErrors.throttled('MEMBER');
}

function checkVersion(sandbox: Sandbox, request: FastifyRequest): string {
  const version = header(request, 'linkedin-version');
  if (!version) throw restErrors.missingVersion();
  const month = /^(\d{6})(\.\d{2})?$/.exec(version)?.[1];
  if (!month || !liveVersions(sandbox.clock.now()).includes(month)) throw restErrors.nonexistentVersion(version);
  return version;
}

/**
 * What every call to api.linkedin.com goes through: the bearer token, the daily throttles and,
 * on `/rest/*`, the `LinkedIn-Version` header plus `X-Restli-Protocol-Version: 2.0.0` on writes.
 */
export function restCaller(
  sandbox: Sandbox,
  request: FastifyRequest,
  options: { versioned: boolean; write?: boolean },
): RestCaller {
  const token = bearerToken(sandbox, request);
  const member = sandbox.linkedin.members.get(token.subjectId);
  if (!member) throw restErrors.invalidToken();
  countCall(sandbox, token);
  const version = options.versioned ? checkVersion(sandbox, request) : '';
  if (options.write && header(request, 'x-restli-protocol-version') !== '2.0.0') {
    throw restErrors.illegalArgument('This request requires the header X-Restli-Protocol-Version: 2.0.0');
  }
  return { token, member, version };
}

/** Whether the member holds one of the roles that may post for the organization (reference §8.3). */
export const POSTING_ROLES = ['ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER', 'CONTENT_ADMINISTRATOR'];

/**
 * Whether the caller may act as `urn` (post, own an image): themselves with `w_member_social`,
 * or an organization they hold a posting role on with `w_organization_social`.
 */
export function mayActAs(sandbox: Sandbox, caller: RestCaller, urn: string): boolean {
  const person = /^urn:li:person:(.+)$/.exec(urn)?.[1];
  if (person !== undefined) return person === caller.member.sub && caller.token.scopes.includes('w_member_social');
  const organization = /^urn:li:organization:(\d+)$/.exec(urn)?.[1];
  if (organization === undefined || !sandbox.linkedin.organizations.has(organization)) return false;
  return (
    caller.token.scopes.includes('w_organization_social') &&
    caller.member.organizations.some(
      (role) => role.organizationId === organization && POSTING_ROLES.includes(role.role),
    )
  );
}
