import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPS } from '../../src/sandbox/core/apps.ts';
import { type RunningSandbox, startSandbox } from '../helpers/sandbox.ts';

const facebookApp = DEFAULT_APPS.find((app) => app.platform === 'facebook');
if (!facebookApp) throw new Error('no default Facebook app');

/** A receiver that checks what it gets the way reference §6 says a service must. */
function verifySignedRequest(signed: string, secret: string): Record<string, unknown> | null {
  const [signature, payload] = signed.split('.');
  if (!signature || !payload) return null;
  const expected = createHmac('sha256', secret).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return data.algorithm === 'HMAC-SHA256' ? data : null;
}

describe('sandbox callbacks: signed_request, webhook handshake and signed events', () => {
  let s: RunningSandbox;
  let receiver: FastifyInstance;
  let receiverUrl: string;
  const received: Array<{ path: string; verified: unknown }> = [];

  beforeAll(async () => {
    s = await startSandbox();
    receiver = Fastify();
    receiver.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_r, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) => done(null, body));
    receiver.post('/deauthorize', async (request) => {
      const verified = verifySignedRequest(
        (request.body as { signed_request: string }).signed_request,
        facebookApp.secret,
      );
      received.push({ path: 'deauthorize', verified });
      return verified ? {} : Promise.reject(Object.assign(new Error('bad signature'), { statusCode: 403 }));
    });
    receiver.post('/deletion', async (request) => {
      const verified = verifySignedRequest(
        (request.body as { signed_request: string }).signed_request,
        facebookApp.secret,
      );
      received.push({ path: 'deletion', verified });
      return { url: `${receiverUrl}/status/abc`, confirmation_code: 'abc' };
    });
    receiver.get('/webhook', async (request, reply) => {
      const query = request.query as Record<string, string>;
      if (query['hub.mode'] === 'subscribe' && query['hub.verify_token'] === 'let-me-in')
        return reply.send(query['hub.challenge']);
      return reply.status(403).send('no');
    });
    receiver.post('/webhook', async (request, reply) => {
      const expected = `sha256=${createHmac('sha256', facebookApp.secret)
        .update(request.body as string)
        .digest('hex')}`;
      const ok = request.headers['x-hub-signature-256'] === expected;
      received.push({ path: 'webhook', verified: ok });
      return reply.status(ok ? 200 : 403).send();
    });
    await receiver.listen({ port: 0, host: '127.0.0.1' });
    const address = receiver.server.address();
    receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await receiver.close();
    await s.close();
  });

  it('sends a deauthorize signed_request that verifies with the app secret', async () => {
    const result = await s.control.sendSignedRequest({
      kind: 'deauthorize',
      url: `${receiverUrl}/deauthorize`,
      appId: facebookApp.id,
      userId: '10200000000000001',
    });
    expect(result.response.status).toBe(200);
    expect(received.at(-1)).toEqual({
      path: 'deauthorize',
      verified: expect.objectContaining({ user_id: '10200000000000001', algorithm: 'HMAC-SHA256' }),
    });
  });

  it('can sign with a wrong secret, which a correct receiver refuses', async () => {
    const result = await s.control.sendSignedRequest({
      kind: 'deauthorize',
      url: `${receiverUrl}/deauthorize`,
      appId: facebookApp.id,
      userId: '1',
      valid: false,
    });
    expect(result.response.status).toBe(403);
    expect(received.at(-1)?.verified).toBeNull();
  });

  it('checks that the data deletion answer is JSON with url and confirmation_code', async () => {
    const result = await s.control.sendSignedRequest({
      kind: 'data_deletion',
      url: `${receiverUrl}/deletion`,
      appId: facebookApp.id,
      userId: '10200000000000001',
    });
    expect(result.deletionAnswerOk).toBe(true);
    expect(result.response.json).toEqual({ url: `${receiverUrl}/status/abc`, confirmation_code: 'abc' });
  });

  it('does the hub.challenge handshake and sends signed webhook events', async () => {
    expect((await s.control.verifyWebhook({ url: `${receiverUrl}/webhook`, verifyToken: 'let-me-in' })).verified).toBe(
      true,
    );
    expect((await s.control.verifyWebhook({ url: `${receiverUrl}/webhook`, verifyToken: 'wrong' })).verified).toBe(
      false,
    );
    const entry = [{ id: '17841400000000001', time: 1, changes: [{ field: 'mentions', value: {} }] }];
    const good = await s.control.sendWebhookEvent({
      url: `${receiverUrl}/webhook`,
      appId: facebookApp.id,
      object: 'instagram',
      entry,
    });
    expect(good.response.status).toBe(200);
    const bad = await s.control.sendWebhookEvent({
      url: `${receiverUrl}/webhook`,
      appId: facebookApp.id,
      object: 'instagram',
      entry,
      valid: false,
    });
    expect(bad.response.status).toBe(403);
  });

  it('reports an unreachable callback URL instead of failing', async () => {
    const result = await s.control.sendSignedRequest({
      kind: 'deauthorize',
      url: 'http://127.0.0.1:9/nothing-listens-here',
      appId: facebookApp.id,
      userId: '1',
    });
    expect(result.response.status).toBe(0);
  });
});
