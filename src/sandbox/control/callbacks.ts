import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Sandbox } from '../core/sandbox.ts';
import { parseControl } from './schemas.ts';

/**
 * What Meta sends to an app's callback URLs (reference §6), on demand: signed_request
 * deauthorize / data-deletion callbacks, the webhook verification handshake and signed webhook
 * events. `valid: false` signs with a wrong secret, to test that the receiver refuses it.
 */

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** `<signature>.<payload>`, both base64url, the signature an HMAC-SHA256 of the encoded payload. */
export function signedRequest(secret: string, payload: Record<string, unknown>): string {
  const encoded = base64url(JSON.stringify({ algorithm: 'HMAC-SHA256', ...payload }));
  return `${base64url(createHmac('sha256', secret).update(encoded).digest())}.${encoded}`;
}

const signingSecret = (sandbox: Sandbox, appId: string, valid: boolean) => {
  const app = sandbox.apps.get(appId);
  if (!app) throw Object.assign(new Error(`unknown app ${appId}`), { statusCode: 400 });
  return valid ? app.secret : `not-${app.secret}`;
};

const deliver = async (url: string, init: RequestInit) => {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, body: text, json };
  } catch (error) {
    return { status: 0, body: (error as Error).message, json: undefined };
  }
};

const schemas = {
  signed: z.object({
    kind: z.enum(['deauthorize', 'data_deletion']),
    url: z.url(),
    appId: z.string(),
    userId: z.string(),
    valid: z.boolean().default(true),
  }),
  verify: z.object({ url: z.url(), verifyToken: z.string() }),
  event: z.object({
    url: z.url(),
    appId: z.string(),
    object: z.enum(['page', 'instagram', 'permissions']),
    entry: z.array(z.record(z.string(), z.unknown())).min(1),
    valid: z.boolean().default(true),
  }),
};

export async function callbackRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  /** POSTs `signed_request` as a form, like Meta's Deauthorize and Data Deletion callbacks. */
  app.post('/callbacks/signed-request', async (request) => {
    const body = parseControl(schemas.signed, request.body);
    const signed = signedRequest(signingSecret(sandbox, body.appId, body.valid), {
      issued_at: sandbox.clock.nowSeconds(),
      user_id: body.userId,
    });
    const answer = await deliver(body.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: signed }).toString(),
    });
    const deletionAnswerOk =
      body.kind !== 'data_deletion' ||
      z.object({ url: z.string(), confirmation_code: z.string() }).safeParse(answer.json).success;
    return { signedRequest: signed, response: answer, deletionAnswerOk };
  });

  /** The webhook verification handshake: GET with hub.mode, hub.verify_token and hub.challenge. */
  app.post('/callbacks/verify', async (request) => {
    const body = parseControl(schemas.verify, request.body);
    const challenge = randomBytes(8).toString('hex');
    const url = new URL(body.url);
    url.searchParams.set('hub.mode', 'subscribe');
    url.searchParams.set('hub.verify_token', body.verifyToken);
    url.searchParams.set('hub.challenge', challenge);
    const answer = await deliver(url.toString(), { method: 'GET' });
    return { challenge, response: answer, verified: answer.status === 200 && answer.body === challenge };
  });

  /** A webhook event with `X-Hub-Signature-256` over the exact body bytes. */
  app.post('/callbacks/webhook', async (request) => {
    const body = parseControl(schemas.event, request.body);
    const raw = JSON.stringify({ object: body.object, entry: body.entry });
    const signature = createHmac('sha256', signingSecret(sandbox, body.appId, body.valid))
      .update(raw)
      .digest('hex');
    const answer = await deliver(body.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
      body: raw,
    });
    return { response: answer };
  });
}
