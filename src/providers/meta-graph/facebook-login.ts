import type { z } from 'zod';
import { Secret } from '../../server/vault/secret.ts';
import { ReauthRequiredError } from '../errors.ts';
import type { TokenInspection, TokenSet } from '../types.ts';
import type { GraphClient } from './client.ts';
import { tokenReason } from './errors.ts';
import { accessTokenResponse, debugTokenResponse, pagesResponse, successResponse } from './login-schemas.ts';

export interface FacebookLoginConfig {
  appId: string;
  appSecret: string;
  graphVersion: string;
  wwwUrl: string;
}

/** One Page from `/me/accounts` (reference §2.5). */
export type ListedPage = z.infer<typeof pagesResponse>['data'][number];

/** Page tasks that allow publishing (reference §2.5). */
export const PUBLISHING_TASKS: ReadonlySet<string> = new Set(['CREATE_CONTENT', 'MANAGE', 'MODERATE']);
/** Pages per /me/accounts request, and a bound on how many pages are followed. */
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

const fromSeconds = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000) : null);

/**
 * The Facebook Login half shared by the providers that sign in with a Facebook app (reference
 * §2): the dialog URL, the code and long-lived exchanges, debug_token, the user's Pages and
 * revocation. Each provider adds what it connects and publishes.
 */
export function createFacebookLogin(config: FacebookLoginConfig, graph: GraphClient, now: () => number) {
  // Token endpoints take the client secret, so they are called with a form body, never a query string.
  const tokenEndpoint = (params: Record<string, string>) =>
    graph.post({ path: 'oauth/access_token', params, schema: accessTokenResponse });
  const expiry = (expiresIn: number | undefined) => (expiresIn ? new Date(now() + expiresIn * 1000) : null);

  /** debug_token with the app token (§2.6). */
  async function debugToken(token: Secret) {
    const { data } = await graph.get({
      path: 'debug_token',
      params: { input_token: token.reveal(), access_token: `${config.appId}|${config.appSecret}` },
      schema: debugTokenResponse,
    });
    return data.data;
  }

  /** Validity, expiry (`null` for `expires_at: 0`) and scopes, from debug_token. */
  async function inspect(token: Secret): Promise<TokenInspection> {
    return inspection(await debugToken(token));
  }

  function inspection(info: Awaited<ReturnType<typeof debugToken>>): TokenInspection {
    return {
      valid: info.is_valid,
      expiresAt: fromSeconds(info.expires_at),
      dataAccessExpiresAt: fromSeconds(info.data_access_expires_at),
      scopes: info.scopes,
      invalidReason: info.is_valid ? undefined : tokenReason(info.error?.subcode),
    };
  }

  return {
    inspect,

    /** The dialog URL: a Login for Business configuration when given, else the scope list. */
    authorizationUrl(input: { state: string; redirectUri: string; scopes: readonly string[]; configId?: string }) {
      const url = new URL(`${config.wwwUrl}/${config.graphVersion}/dialog/oauth`);
      url.searchParams.set('client_id', config.appId);
      url.searchParams.set('redirect_uri', input.redirectUri);
      url.searchParams.set('state', input.state);
      url.searchParams.set('response_type', 'code');
      if (input.configId) url.searchParams.set('config_id', input.configId);
      else url.searchParams.set('scope', input.scopes.join(','));
      return url.toString();
    },

    /** Code → user token → long-lived user token (§2.3, §2.4), described by debug_token. */
    async exchangeCode({ code, redirectUri }: { code: string; redirectUri: string }): Promise<TokenSet> {
      const base = { client_id: config.appId, client_secret: config.appSecret };
      const short = await tokenEndpoint({ ...base, redirect_uri: redirectUri, code });
      // Server-side exchanges sometimes already return a long-lived token; exchanging anyway is harmless.
      const long = await tokenEndpoint({
        ...base,
        grant_type: 'fb_exchange_token',
        fb_exchange_token: short.data.access_token,
      });
      const accessToken = new Secret(long.data.access_token);
      const info = await debugToken(accessToken);
      const inspected = inspection(info);
      return {
        accessToken,
        expiresAt: inspected.expiresAt ?? expiry(long.data.expires_in),
        dataAccessExpiresAt: inspected.dataAccessExpiresAt,
        scopes: inspected.scopes ?? [],
        subjectId: info.user_id,
      };
    },

    /** Every Page of the user with the given fields, following `/me/accounts` paging (§2.5). */
    async listPages(token: Secret, fields: string): Promise<ListedPage[]> {
      const pages: ListedPage[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data } = await graph.get({
          path: 'me/accounts',
          token: token.reveal(),
          params: { fields, limit: PAGE_SIZE, after },
          schema: pagesResponse,
        });
        pages.push(...data.data);
        after = data.paging?.next ? data.paging.cursors?.after : undefined;
        if (!after) break;
      }
      return pages;
    },

    /** De-authorizes the app for the user (§2.8); every token of the grant, Page tokens included, dies. */
    async revoke(tokens: TokenSet) {
      try {
        await graph.delete({ path: 'me/permissions', token: tokens.accessToken.reveal(), schema: successResponse });
      } catch (error) {
        // A token that is already invalid has nothing left to revoke.
        if (!(error instanceof ReauthRequiredError)) throw error;
      }
    },
  };
}

/** Whether the user's tasks on a Page allow publishing; Graph leaves `tasks` out when it does not say. */
export const canPublish = (page: ListedPage) => !page.tasks || page.tasks.some((task) => PUBLISHING_TASKS.has(task));
