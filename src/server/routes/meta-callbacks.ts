import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { errorResponse } from '../../contracts/errors.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { verifyHubSignature } from '../meta/hub-signature.ts';
import { verifySignedRequest } from '../meta/signed-request.ts';
import {
  deauthorize,
  findDataDeletion,
  type MetaSource,
  metaApps,
  permissionRevoked,
  requestDataDeletion,
} from '../services/meta-compliance.ts';

const tags = ['meta callbacks'];
/** A signed_request is a few hundred bytes; anything near this is not one. */
const FORM_BODY_LIMIT = 16 * 1024;
const EVENT_BODY_LIMIT = 1024 * 1024;
const CONFIRMATION_CODE = /^[A-Za-z0-9_-]{22}$/;

const signedRequestBody = z.object({ signed_request: z.string().min(1).max(8192) });

/** `{"object":"permissions","entry":[{"id":<user>,"changes":[{"field":<permission>,"value":{"verb":"revoked"}}]}]}` */
const permissionsEvent = z.object({
  object: z.literal('permissions'),
  entry: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      changes: z
        .array(z.object({ field: z.string(), value: z.object({ verb: z.string() }).partial().optional() }))
        .default([]),
    }),
  ),
});

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function statusPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Tether</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5">
<h1 style="font-size:1.5rem">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

/**
 * What Meta calls (reference §6): the Deauthorize and Data Deletion callbacks with a signed_request,
 * the public deletion status page, and the webhook endpoint (verification handshake and signed
 * events). None of them has a session; each request proves itself with the app secret.
 */
export async function metaCallbackRoutes(app: FastifyInstance, { config, boss }: { config: Config; boss?: PgBoss }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const apps = metaApps(config);
  const sourceOf = (appId: string): MetaSource =>
    apps.find((candidate) => candidate.appId === appId)?.source ?? 'facebook';

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  // Webhook signatures cover the exact bytes, so JSON is kept raw here and parsed after the check.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: EVENT_BODY_LIMIT }, (_r, body, done) =>
    done(null, body),
  );

  function verified(signedRequest: string) {
    const result = verifySignedRequest(signedRequest, apps, Date.now());
    if (!result.ok) throw new AppError('SIGNED_REQUEST_INVALID', `The signed_request is not valid (${result.reason}).`);
    return { source: sourceOf(result.appId), subjectId: result.userId };
  }

  api.post(
    '/webhooks/meta/deauthorize',
    {
      schema: {
        tags,
        summary: 'Meta Deauthorize callback: the person removed the app',
        consumes: ['application/x-www-form-urlencoded'],
        body: signedRequestBody,
        response: { 200: z.object({ success: z.literal(true) }), 400: errorResponse },
      },
    },
    async (request) => {
      await deauthorize(app.connections, verified(request.body.signed_request));
      return { success: true as const };
    },
  );

  api.post(
    '/webhooks/meta/data-deletion',
    {
      schema: {
        tags,
        summary: 'Meta Data Deletion callback: delete what Tether holds about the person',
        consumes: ['application/x-www-form-urlencoded'],
        body: signedRequestBody,
        response: {
          200: z.object({ url: z.url(), confirmation_code: z.string() }),
          400: errorResponse,
          503: errorResponse,
        },
      },
    },
    async (request) => {
      const subject = verified(request.body.signed_request);
      if (!boss) throw new AppError('UNAVAILABLE', 'Deletion needs the job queue, which is not running here.');
      const { confirmationCode: code } = await requestDataDeletion(app.db, boss, subject);
      return { url: `${config.publicUrl}/data-deletion/${code}`, confirmation_code: code };
    },
  );

  app.get('/data-deletion/:code', { schema: { hide: true } }, async (request, reply) => {
    const { code } = request.params as { code: string };
    const found = CONFIRMATION_CODE.test(code) ? await findDataDeletion(app.db, code) : undefined;
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!found)
      return reply
        .status(404)
        .send(statusPage('Request not found', 'There is no data deletion request with this code.'));
    const received = found.createdAt.toISOString().slice(0, 10);
    const what =
      found.source === 'user'
        ? `the Tether account, with its ${found.accountsDeleted} connected account(s), posts, media, tokens and history, was deleted`
        : `${found.accountsDeleted} connected account(s) and their tokens, history and scheduled posts were deleted`;
    return found.status === 'completed'
      ? statusPage(
          'Your data was deleted',
          `Request ${code}, received on ${received}, is complete: ${what} on ${found.completedAt?.toISOString().slice(0, 10)}.`,
        )
      : statusPage(
          'Deletion in progress',
          `Request ${code}, received on ${received}, is being carried out. This page will say when it is complete.`,
        );
  });

  api.get(
    '/webhooks/meta',
    {
      schema: {
        tags,
        summary: 'Meta webhook verification handshake',
        querystring: z.object({
          'hub.mode': z.string().optional(),
          'hub.verify_token': z.string().optional(),
          'hub.challenge': z.string().max(256).optional(),
        }),
        response: { 200: z.string(), 403: errorResponse },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const expected = config.metaWebhookVerifyToken;
      if (!expected || query['hub.mode'] !== 'subscribe' || query['hub.verify_token'] !== expected)
        throw new AppError('FORBIDDEN', 'The verify token does not match.');
      return reply.type('text/plain').send(query['hub.challenge'] ?? '');
    },
  );

  app.post('/webhooks/meta', { schema: { hide: true } }, async (request, reply) => {
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const appId = verifyHubSignature(raw, request.headers['x-hub-signature-256'] as string | undefined, apps);
    if (!appId) throw new AppError('WEBHOOK_SIGNATURE_INVALID');
    let event: unknown;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new AppError('INVALID_JSON');
    }
    const permissions = permissionsEvent.safeParse(event);
    if (permissions.success) {
      const source = sourceOf(appId);
      for (const entry of permissions.data.entry)
        for (const change of entry.changes)
          if (change.value?.verb === 'revoked')
            await permissionRevoked(app.connections, { source, subjectId: entry.id, permission: change.field });
    }
    // Other objects are acknowledged: Meta retries anything that is not a 200.
    return reply.status(200).send({ received: true });
  });
}
