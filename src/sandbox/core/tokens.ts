import type { SandboxClock } from './clock.ts';
import { randomToken } from './ids.ts';

export type TokenKind = 'facebook_user' | 'facebook_page' | 'instagram_user' | 'linkedin_access' | 'linkedin_refresh';

/** Why a token stopped working, as Graph reports it (error 190 with this subcode). */
export interface Revocation {
  subcode: 458 | 459 | 460 | 463 | 464 | 467 | 492;
  message: string;
}

/** Everything the platform knows about one token. Times are epoch milliseconds of the sandbox clock. */
export interface TokenRecord {
  token: string;
  kind: TokenKind;
  appId: string;
  /** Facebook user id, Page id, Instagram professional account id, or LinkedIn member `sub`. */
  subjectId: string;
  scopes: string[];
  declinedScopes: string[];
  /** Granular targets: the Pages / Instagram accounts / organizations this token may act on. */
  targets: string[];
  issuedAt: number;
  /** `null`: never expires (debug_token reports `expires_at: 0`). */
  expiresAt: number | null;
  dataAccessExpiresAt: number | null;
  longLived: boolean;
  /** For derived tokens (a Page token, a LinkedIn access token from a refresh token), the token it came from. */
  parent?: string;
  revoked?: Revocation;
}

const PREFIXES: Record<TokenKind, string> = {
  facebook_user: 'EAAB',
  facebook_page: 'EAAG',
  instagram_user: 'IGAA',
  linkedin_access: 'AQV',
  linkedin_refresh: 'AQW',
};

export type TokenState =
  | { ok: true; record: TokenRecord }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked'; record?: TokenRecord };

export class TokenStore {
  #tokens = new Map<string, TokenRecord>();
  readonly #clock: SandboxClock;

  constructor(clock: SandboxClock) {
    this.#clock = clock;
  }

  /**
   * Issues a token. Give its lifetime as `expiresInMs` (counted from the same clock reading as
   * `issuedAt`, so the two never drift apart) or an absolute `expiresAt` (`null`: never expires).
   */
  issue(
    input: Omit<
      TokenRecord,
      'token' | 'issuedAt' | 'expiresAt' | 'declinedScopes' | 'targets' | 'dataAccessExpiresAt' | 'longLived'
    > &
      Partial<Pick<TokenRecord, 'declinedScopes' | 'targets' | 'dataAccessExpiresAt' | 'longLived'>> &
      ({ expiresAt: number | null } | { expiresInMs: number }),
  ): TokenRecord {
    const now = this.#clock.now();
    const { expiresInMs, expiresAt, ...rest } = { expiresInMs: undefined, expiresAt: undefined, ...input };
    const record: TokenRecord = {
      declinedScopes: [],
      targets: [],
      dataAccessExpiresAt: null,
      longLived: false,
      ...rest,
      expiresAt: expiresInMs === undefined ? (expiresAt ?? null) : now + expiresInMs,
      token: randomToken(PREFIXES[input.kind], input.kind.startsWith('linkedin') ? 120 : 64),
      issuedAt: now,
    };
    this.#tokens.set(record.token, record);
    return record;
  }

  get(token: string | undefined): TokenRecord | undefined {
    return token ? this.#tokens.get(token) : undefined;
  }

  /** Whether the token can be used now. */
  check(token: string | undefined): TokenState {
    const record = this.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked', record };
    if (record.expiresAt !== null && record.expiresAt <= this.#clock.now())
      return { ok: false, reason: 'expired', record };
    return { ok: true, record };
  }

  revoke(token: string, revocation: Revocation): boolean {
    const record = this.#tokens.get(token);
    if (!record) return false;
    record.revoked = revocation;
    return true;
  }

  /** Revokes every token of a subject for an app (and the tokens derived from them); returns how many. */
  revokeSubject(filter: { appId?: string; subjectId: string }, revocation: Revocation): number {
    const direct = this.list().filter(
      (record) => record.subjectId === filter.subjectId && (!filter.appId || record.appId === filter.appId),
    );
    const revoked = new Set(direct.map((record) => record.token));
    for (const record of this.list()) if (record.parent && revoked.has(record.parent)) revoked.add(record.token);
    for (const token of revoked) this.revoke(token, revocation);
    return revoked.size;
  }

  list(): TokenRecord[] {
    return [...this.#tokens.values()];
  }

  clear(): void {
    this.#tokens.clear();
  }
}

/** Graph's messages for each way a token can be invalid (reference §5.2). */
export const REVOCATION_MESSAGES: Record<Revocation['subcode'], string> = {
  458: 'Error validating access token: The user has not authorized application.',
  459: 'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.',
  460: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
  463: 'Error validating access token: Session has expired.',
  464: 'Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.',
  467: 'Error validating access token: The user has logged out.',
  492: 'Error validating access token: The session is invalid because the user lost a role on the Page.',
};
