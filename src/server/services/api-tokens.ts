import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { ApiScope } from '../../contracts/api-scopes.ts';
import type { Database } from '../db/client.ts';
import { apiTokens, user } from '../db/schema/index.ts';
import type { ReadCache } from './read-cache.ts';

/** Tokens look like `tth_<43 base64url chars>`: 256 random bits, recognisable by secret scanners. */
export const API_TOKEN_PREFIX = 'tth_';
const TOKEN_BYTES = 32;
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;
/** Writing `last_used_at` on every request would turn reads into writes; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const publicColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
};

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
};

export async function createApiToken(
  db: Database,
  input: { userId: string; name: string; scopes: readonly ApiScope[] },
): Promise<{ token: ApiTokenSummary; secret: string }> {
  const secret = `${API_TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
  const [token] = await db
    .insert(apiTokens)
    .values({
      userId: input.userId,
      name: input.name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
      scopes: [...new Set(input.scopes)],
    })
    .returning(publicColumns);
  if (!token) throw new Error('insert returned no row');
  return { token, secret };
}

export function listApiTokens(db: Database, userId: string): Promise<ApiTokenSummary[]> {
  return db
    .select(publicColumns)
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt));
}

/** Deletes the token if it belongs to the user; false when there is no such token of theirs. */
export async function revokeApiToken(db: Database, input: { userId: string; id: string }): Promise<boolean> {
  const deleted = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, input.id), eq(apiTokens.userId, input.userId)))
    .returning({ id: apiTokens.id });
  return deleted.length > 0;
}

/** The user a request acts for, as routes see it. */
export interface TokenUser {
  id: string;
  email: string;
  name: string;
}

/** Who a presented token acts for, and what it may do. */
export interface TokenCaller {
  user: TokenUser;
  scopes: ApiScope[];
}

/** What a presented token stands for (services/read-cache.ts keeps these). */
export interface TokenPrincipal extends TokenCaller {
  tokenId: string;
  /** When the token was last recorded as used (ms since the epoch). */
  lastUsedAt: number | null;
}

async function findToken(db: Database, tokenHash: string): Promise<TokenPrincipal | null> {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      lastUsedAt: apiTokens.lastUsedAt,
      scopes: apiTokens.scopes,
      id: user.id,
      email: user.email,
      name: user.name,
    })
    .from(apiTokens)
    .innerJoin(user, eq(user.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  if (!row) return null;
  return {
    tokenId: row.tokenId,
    user: { id: row.id, email: row.email, name: row.name },
    scopes: row.scopes,
    lastUsedAt: row.lastUsedAt?.getTime() ?? null,
  };
}

/**
 * The user a presented token belongs to with its scopes, or null, read through the request's
 * cache. Records when the token was last used, at most once a minute per token and process.
 */
export async function authenticateApiToken(
  db: Database,
  cache: ReadCache,
  request: object,
  secret: string,
): Promise<TokenCaller | null> {
  if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
  const tokenHash = hashToken(secret);
  const principal = await cache.token(request, tokenHash, () => findToken(db, tokenHash));
  if (!principal) return null;
  const now = Date.now();
  if (principal.lastUsedAt === null || now - principal.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    principal.lastUsedAt = now;
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiTokens.id, principal.tokenId),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now - LAST_USED_RESOLUTION_MS))),
        ),
      );
  }
  return { user: principal.user, scopes: principal.scopes };
}
