import type { FastifyRequest } from 'fastify';
import type { GraphObjectReader } from '../core/graph.ts';
import { graphErrors } from '../core/graph.ts';
import { type HeaderSink, meterBusinessCall } from '../core/graph-usage.ts';
import type { Sandbox } from '../core/sandbox.ts';
import type { TokenRecord } from '../core/tokens.ts';
import { authenticate, userIdOf } from './auth.ts';
import { parseFields } from './fields.ts';
import type { FacebookPagePost } from './model.ts';
import { DEFAULT_PAGE_FIELDS, issuePageToken, renderPage, targetsInclude } from './page-objects.ts';

const authenticateReader = (
  sandbox: Sandbox,
  request: FastifyRequest,
  reply: HeaderSink,
  params: Record<string, string>,
) => authenticate(sandbox, request, reply, params).record;

/** `GET /{page-id}?fields=access_token,name,…` (reference §2.5). */
export function pageReader(sandbox: Sandbox): GraphObjectReader {
  return ({ id, host, params, request, reply }) => {
    const page = host === 'facebookGraph' ? sandbox.facebook.pages.get(id) : undefined;
    if (!page) return undefined;
    const record = authenticateReader(sandbox, request, reply, params);
    meterBusinessCall(sandbox, reply, page.id, 'pages');
    const userId = userIdOf(sandbox, record);
    const role = sandbox.facebook.users.get(userId ?? '')?.pageRoles.find((candidate) => candidate.pageId === id);
    // Only someone with a role on the Page, through a token granted for it, gets its Page token.
    const mayManage =
      role !== undefined && (record.kind === 'facebook_page' ? record.subjectId === id : targetsInclude(record, id));
    const fields = parseFields(
      params.fields,
      DEFAULT_PAGE_FIELDS.filter((field) => field !== 'access_token'),
    );
    if (!mayManage) fields.delete('access_token');
    return renderPage(sandbox, {
      page,
      fields,
      tasks: mayManage ? (role?.tasks ?? []) : [],
      scopes: record.scopes,
      pageToken: () => (record.kind === 'facebook_page' ? record.token : issuePageToken(sandbox, record, page).token),
    });
  };
}

const mayRead = (record: TokenRecord, post: FacebookPagePost) =>
  record.kind === 'facebook_page' ? record.subjectId === post.pageId : targetsInclude(record, post.pageId);

/** Video processing status: `processing` until the configured delay has passed, then `ready` (reference §7.3). */
function videoStatus(sandbox: Sandbox, video: FacebookPagePost) {
  const ready = (video.readyAt ?? 0) <= sandbox.clock.now();
  return {
    video_status: ready ? 'ready' : 'processing',
    uploading_phase: { status: 'complete' },
    processing_phase: { status: ready ? 'complete' : 'in_progress' },
    publishing_phase: ready
      ? {
          status: 'complete',
          publish_status: video.published ? 'published' : 'not_published',
          ...(video.published ? { publish_time: new Date(video.readyAt ?? video.createdAt).toISOString() } : {}),
        }
      : { status: 'not_started' },
  };
}

/** `GET /{video-id}?fields=status,title,description` for videos uploaded to a Page. */
export function videoReader(sandbox: Sandbox): GraphObjectReader {
  return ({ id, host, params, request, reply }) => {
    const video =
      host === 'facebookGraph'
        ? sandbox.facebook.posts.find((post) => post.kind === 'video' && post.mediaId === id)
        : undefined;
    if (!video) return undefined;
    const record = authenticateReader(sandbox, request, reply, params);
    if (!mayRead(record, video)) throw graphErrors.unknownObject(id);
    meterBusinessCall(sandbox, reply, video.pageId, 'pages');
    const values: Record<string, () => unknown> = {
      id: () => id,
      title: () => video.title,
      description: () => video.message,
      published: () => video.published,
      created_time: () => new Date(video.createdAt).toISOString(),
      status: () => videoStatus(sandbox, video),
    };
    const out: Record<string, unknown> = {};
    for (const field of parseFields(params.fields, ['id']).keys()) {
      const value = values[field];
      if (!value)
        throw graphErrors.invalidParameter(`Tried accessing nonexisting field (${field}) on node type (Video)`);
      out[field] = value();
    }
    return { ...out, id };
  };
}
