import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signedRequest } from '../../sandbox/control/callbacks.ts';
import { SIGNED_REQUEST_MAX_AGE_MS, verifySignedRequest } from './signed-request.ts';

const NOW = Date.UTC(2026, 10, 23, 12);
const APPS = [
  { appId: 'facebook-app', secret: 'facebook-secret' },
  { appId: 'instagram-app', secret: 'instagram-secret' },
];
const seconds = (ms: number) => Math.floor(ms / 1000);
const signed = (secret: string, payload: Record<string, unknown>) => signedRequest(secret, payload);
const encode = (value: string) => Buffer.from(value).toString('base64url');
/** A request signed correctly over an arbitrary payload text. */
const signRaw = (secret: string, payloadText: string) => {
  const payload = encode(payloadText);
  return `${createHmac('sha256', secret).update(payload).digest('base64url')}.${payload}`;
};

describe('verifySignedRequest', () => {
  it('accepts a request signed with either app secret and says which app and user', () => {
    const facebook = verifySignedRequest(
      signed('facebook-secret', { issued_at: seconds(NOW), user_id: '10200000000000001' }),
      APPS,
      NOW,
    );
    expect(facebook).toEqual({
      ok: true,
      userId: '10200000000000001',
      appId: 'facebook-app',
      issuedAt: new Date(seconds(NOW) * 1000),
    });
    const instagram = verifySignedRequest(
      signed('instagram-secret', { issued_at: seconds(NOW), user_id: 42 }),
      APPS,
      NOW,
    );
    expect(instagram).toMatchObject({ ok: true, userId: '42', appId: 'instagram-app' });
  });

  it('refuses a signature made with another secret', () => {
    const forged = signed('not-the-secret', { issued_at: seconds(NOW), user_id: '1' });
    expect(verifySignedRequest(forged, APPS, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a payload changed after signing (another user id)', () => {
    const [signature] = signed('facebook-secret', { issued_at: seconds(NOW), user_id: '1' }).split('.');
    const tampered = `${signature}.${encode(JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: seconds(NOW), user_id: '2' }))}`;
    expect(verifySignedRequest(tampered, APPS, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an algorithm other than HMAC-SHA256, even correctly signed', () => {
    const none = signRaw(
      'facebook-secret',
      JSON.stringify({ algorithm: 'none', issued_at: seconds(NOW), user_id: '1' }),
    );
    expect(verifySignedRequest(none, APPS, NOW)).toEqual({ ok: false, reason: 'bad_algorithm' });
  });

  it('refuses a request issued too long ago or in the future', () => {
    const old = signed('facebook-secret', { issued_at: seconds(NOW - SIGNED_REQUEST_MAX_AGE_MS) - 1, user_id: '1' });
    expect(verifySignedRequest(old, APPS, NOW)).toEqual({ ok: false, reason: 'expired' });
    const future = signed('facebook-secret', { issued_at: seconds(NOW + 3_600_000), user_id: '1' });
    expect(verifySignedRequest(future, APPS, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['empty', ''],
    ['one segment', 'abc'],
    ['three segments', 'a.b.c'],
    ['not base64url', 'ab+c.de/f'],
    ['padding', 'abc=.def='],
  ])('refuses a malformed value (%s)', (_name, value) => {
    expect(verifySignedRequest(value, APPS, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['not JSON', 'not json'],
    ['no user id', JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: seconds(NOW) })],
    ['no issued_at', JSON.stringify({ algorithm: 'HMAC-SHA256', user_id: '1' })],
    ['an array', '[1,2]'],
  ])('refuses a correctly signed payload that is malformed (%s)', (_name, text) => {
    expect(verifySignedRequest(signRaw('facebook-secret', text), APPS, NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
