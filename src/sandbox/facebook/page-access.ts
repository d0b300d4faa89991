import type { FastifyRequest } from 'fastify';
import { DAY, MINUTE } from '../core/clock.ts';
import { GraphError, graphErrors, graphParams } from '../core/graph.ts';
import { type HeaderSink, meterBusinessCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import { REVOCATION_MESSAGES, type TokenRecord } from '../core/tokens.ts';
import { authenticate, userIdOf } from './auth.ts';
import type { FacebookPage } from './model.ts';
import { parseMultipart } from './multipart.ts';
import { PUBLISHING_TASKS } from './permissions.ts';

/** A publishing call on a Page: parameters (query, form, JSON or multipart fields), uploaded bytes, token and Page. */
export interface PageCall {
  params: Record<string, string>;
  /** Bytes sent as multipart `source` or as the raw request body. */
  source?: Buffer;
  record: TokenRecord;
  page: FacebookPage;
}

function publishParams(request: FastifyRequest): { params: Record<string, string>; source?: Buffer } {
  if (!Buffer.isBuffer(request.body)) return { params: graphParams(request) };
  const params = { ...(request.query as Record<string, string>) };
  const parts = parseMultipart(request.body, request.headers['content-type']);
  if (!parts) return { params, source: request.body.length ? request.body : undefined };
  let source: Buffer | undefined;
  for (const part of parts) {
    if (part.name === 'source') source = part.data;
    else params[part.name] = part.data.toString('utf8');
  }
  return { params, source };
}

const notAllowed = (message: string) => graphErrors.permission(message, 200);

/**
 * Authenticates a publishing call on `/{page-id}/…` (reference §7): a Page token of that Page with
 * pages_manage_posts, whose user still has a publishing task on the Page. Counts the call in the
 * app's usage and the Page's business use case.
 */
export function authorizePagePublishing(
  sandbox: Sandbox,
  request: FastifyRequest,
  reply: HeaderSink,
  pageId: string,
): PageCall {
  const { params, source } = publishParams(request);
  const { record } = authenticate(sandbox, request, reply, params);
  const page = sandbox.facebook.pages.get(pageId);
  if (!page)
    throw new GraphError({
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message: `Unsupported post request. Object with ID '${pageId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    });
  meterBusinessCall(sandbox, reply, page.id, 'pages');
  if (record.kind !== 'facebook_page') throw notAllowed('Publishing to a Page requires a Page access token.');
  if (record.subjectId !== page.id) throw notAllowed('The Page access token does not belong to this Page.');
  if (!record.scopes.includes('pages_manage_posts'))
    throw notAllowed("The user hasn't authorized the application to perform this action");
  const userId = userIdOf(sandbox, record);
  const role = sandbox.facebook.users.get(userId ?? '')?.pageRoles.find((candidate) => candidate.pageId === page.id);
  if (!role) {
    // A Page token dies with its user's role on the Page (reference §5.2, subcode 492).
    const message = REVOCATION_MESSAGES[492];
    throw new GraphError({
      code: 190,
      subcode: 492,
      message,
      headers: { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${message}"` },
    });
  }
  if (!role.tasks.some((task) => PUBLISHING_TASKS.includes(task)))
    throw notAllowed('The user must hold the CREATE_CONTENT, MANAGE or MODERATE task on the Page to publish.');
  return { params, source, record, page };
}

/** `published`: Graph booleans arrive as `true`/`false` (or 1/0) strings. */
export function parsePublished(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw graphErrors.invalidParameter('param published must be a boolean');
}

const SCHEDULE_MIN_MS = 10 * MINUTE;
const SCHEDULE_MAX_MS = 30 * DAY;

/**
 * `scheduled_publish_time`: unix seconds or a date string, 10 minutes to 30 days ahead, and only on
 * an unpublished post (reference §7.1). Returns unix seconds.
 */
export function parseScheduledTime(
  sandbox: Sandbox,
  value: string | undefined,
  published: boolean,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  const invalid = graphErrors.invalidParameter('The specified scheduled publish time is invalid.');
  if (!Number.isFinite(ms)) throw invalid;
  if (published) throw graphErrors.invalidParameter('Scheduled posts must be created with published=false.');
  const ahead = ms - sandbox.clock.now();
  if (ahead < SCHEDULE_MIN_MS || ahead > SCHEDULE_MAX_MS) throw invalid;
  return Math.floor(ms / 1000);
}

/** Accepts `http(s)` URLs only, as Graph's URL parameters do. */
export const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};
