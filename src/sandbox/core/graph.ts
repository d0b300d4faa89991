import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxApp } from './apps.ts';
import { MINUTE } from './clock.ts';
import type { SandboxHostName } from './hosts.ts';
import type { Sandbox } from './sandbox.ts';
import { REVOCATION_MESSAGES, type TokenRecord } from './tokens.ts';

/** A Graph API error (reference §5.1): the envelope, the HTTP status and, for token errors, WWW-Authenticate. */
export class GraphError extends Error {
  readonly status: number;
  readonly code: number;
  readonly subcode?: number;
  readonly type: string;
  readonly userTitle?: string;
  readonly userMessage?: string;
  readonly isTransient?: boolean;
  readonly headers: Record<string, string>;

  constructor(input: {
    status?: number;
    code: number;
    subcode?: number;
    type?: string;
    message: string;
    userTitle?: string;
    userMessage?: string;
    isTransient?: boolean;
    headers?: Record<string, string>;
  }) {
    super(input.message);
    this.status = input.status ?? 400;
    this.code = input.code;
    this.subcode = input.subcode;
    this.type = input.type ?? 'OAuthException';
    this.userTitle = input.userTitle;
    this.userMessage = input.userMessage;
    this.isTransient = input.isTransient;
    this.headers = input.headers ?? {};
  }

  toBody() {
    return {
      error: {
        message: this.message,
        type: this.type,
        code: this.code,
        ...(this.subcode === undefined ? {} : { error_subcode: this.subcode }),
        ...(this.userTitle === undefined ? {} : { error_user_title: this.userTitle }),
        ...(this.userMessage === undefined ? {} : { error_user_msg: this.userMessage }),
        ...(this.isTransient === undefined ? {} : { is_transient: this.isTransient }),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    };
  }
}

export function sendGraphError(reply: FastifyReply, error: GraphError) {
  return reply.status(error.status).headers(error.headers).send(error.toBody());
}

const wwwAuthenticate = (kind: string, message: string) => ({
  'www-authenticate': `OAuth "Facebook Platform" "${kind}" "${message.replaceAll('"', "'")}"`,
});

export const graphErrors = {
  invalidToken: () =>
    new GraphError({
      code: 190,
      message: 'Invalid OAuth access token - Cannot parse access token',
      headers: wwwAuthenticate('invalid_token', 'Invalid OAuth access token - Cannot parse access token'),
    }),
  missingToken: () =>
    new GraphError({
      code: 2500,
      message: 'An active access token must be used to query information about the current user.',
    }),
  expiredToken: (expiresAt: number) => {
    const message = `Error validating access token: Session has expired on ${new Date(expiresAt).toUTCString()}.`;
    return new GraphError({ code: 190, subcode: 463, message, headers: wwwAuthenticate('invalid_token', message) });
  },
  revokedToken: (record: TokenRecord) => {
    const subcode = record.revoked?.subcode ?? 467;
    const message = record.revoked?.message ?? REVOCATION_MESSAGES[subcode];
    return new GraphError({ code: 190, subcode, message, headers: wwwAuthenticate('invalid_token', message) });
  },
  missingParameter: (name: string) =>
    new GraphError({ code: 100, message: `(#100) The parameter ${name} is required` }),
  invalidParameter: (message: string, subcode?: number) =>
    new GraphError({ code: 100, subcode, message: `(#100) ${message}` }),
  unknownObject: (id: string) =>
    new GraphError({
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    }),
  permission: (message: string, code = 200) => new GraphError({ status: 403, code, message: `(#${code}) ${message}` }),
};

/** Graph accepts parameters in the query string, a form body or a JSON body; later sources win. */
export function graphParams(request: FastifyRequest): Record<string, string> {
  const params: Record<string, string> = {};
  const merge = (source: unknown) => {
    if (!source || typeof source !== 'object') return;
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined || value === null) continue;
      params[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  };
  merge(request.query);
  merge(request.body);
  return params;
}

/** The token a Graph call presents: `access_token` parameter or `Authorization: Bearer|OAuth <token>`. */
export function presentedToken(request: FastifyRequest, params: Record<string, string>): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? params.access_token;
}

/** Allowed age of `appsecret_time` (reference §2.7). */
const APPSECRET_TIME_WINDOW_MS = 5 * MINUTE;

const hmacHex = (secret: string, message: string) => createHmac('sha256', secret).update(message).digest('hex');
const sameHex = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Checks `appsecret_proof` when the app requires it. Both documented forms are accepted:
 * HMAC(token|appsecret_time) with a fresh `appsecret_time`, and the legacy HMAC(token).
 */
export function checkAppSecretProof(
  sandbox: Sandbox,
  app: SandboxApp,
  token: string,
  params: Record<string, string>,
): GraphError | undefined {
  if (!app.requireAppSecretProof) return undefined;
  const proof = params.appsecret_proof;
  if (!proof)
    return new GraphError({
      code: 100,
      type: 'GraphMethodException',
      message: 'API calls from the server require an appsecret_proof argument',
    });
  const invalid = new GraphError({
    code: 100,
    type: 'GraphMethodException',
    message: 'Invalid appsecret_proof provided in the API argument',
  });
  const time = params.appsecret_time;
  if (time !== undefined) {
    const seconds = Number(time);
    if (!Number.isInteger(seconds) || Math.abs(sandbox.clock.now() - seconds * 1000) > APPSECRET_TIME_WINDOW_MS)
      return invalid;
    return sameHex(proof, hmacHex(app.secret, `${token}|${time}`)) ? undefined : invalid;
  }
  return sameHex(proof, hmacHex(app.secret, token)) ? undefined : invalid;
}

/** A Graph version segment: `v25.0`. Any version is served; an expired one like the current one. */
export const GRAPH_VERSION = /^v\d+\.\d+$/;

/**
 * Removes the version segment after a Graph host prefix (`/graph-facebook/v25.0/me` →
 * `/graph-facebook/me`), so each route is written once and serves versioned and unversioned calls
 * alike, as the real hosts do. The original URL stays on `request.originalUrl`.
 */
export function stripGraphVersion(url: string, graphPrefixes: readonly string[]): string {
  for (const prefix of graphPrefixes) {
    if (!url.startsWith(`${prefix}/`)) continue;
    const rest = url.slice(prefix.length + 1);
    const end = rest.search(/[/?]/);
    const segment = end === -1 ? rest : rest.slice(0, end);
    if (GRAPH_VERSION.test(segment)) return `${prefix}${end === -1 ? '' : rest.slice(end)}`;
  }
  return url;
}

/** The Graph version a request named, if any. */
export function requestedGraphVersion(request: FastifyRequest): string | undefined {
  const segment = request.originalUrl
    .split('?')[0]
    ?.split('/')
    .find((part) => GRAPH_VERSION.test(part));
  return segment;
}

/** Error handler for Graph hosts: GraphError → its envelope; anything else → Graph's code 1 "unknown error". */
export function graphErrorHandler(error: Error, _request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof GraphError) return sendGraphError(reply, error);
  const status = (error as { statusCode?: number }).statusCode;
  if (status && status < 500)
    return sendGraphError(reply, new GraphError({ code: 100, message: `(#100) ${error.message}` }));
  return sendGraphError(
    reply,
    new GraphError({ status: 500, code: 1, message: 'An unknown error has occurred.', isTransient: true }),
  );
}

/**
 * Answers `GET /{id}` on a Graph host for the objects one family owns. Returns undefined when the
 * id is not one of its objects; throws GraphError for token or permission problems.
 */
export type GraphObjectReader = (input: {
  id: string;
  host: Extract<SandboxHostName, 'facebookGraph' | 'instagramGraph'>;
  params: Record<string, string>;
  request: FastifyRequest;
  /** For response headers (usage headers); the reader still returns the body. */
  reply: FastifyReply;
}) => Promise<unknown | undefined> | unknown | undefined;
