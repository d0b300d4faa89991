import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyHubSignature } from './hub-signature.ts';

const APPS = [
  { appId: 'facebook-app', secret: 'facebook-secret' },
  { appId: 'instagram-app', secret: 'instagram-secret' },
];
const BODY = Buffer.from('{"object":"page","entry":[{"id":"1","time":1,"changes":[]}]}');
const sign = (secret: string, body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyHubSignature', () => {
  it('names the app whose secret signed the exact body', () => {
    expect(verifyHubSignature(BODY, sign('facebook-secret', BODY), APPS)).toBe('facebook-app');
    expect(verifyHubSignature(BODY, sign('instagram-secret', BODY), APPS)).toBe('instagram-app');
    expect(
      verifyHubSignature(BODY, sign('facebook-secret', BODY).toUpperCase().replace('SHA256', 'sha256'), APPS),
    ).toBe('facebook-app');
  });

  it('refuses a foreign secret, a changed body, and missing or malformed headers', () => {
    expect(verifyHubSignature(BODY, sign('other-secret', BODY), APPS)).toBeNull();
    expect(verifyHubSignature(Buffer.from(`${BODY} `), sign('facebook-secret', BODY), APPS)).toBeNull();
    expect(verifyHubSignature(BODY, undefined, APPS)).toBeNull();
    expect(verifyHubSignature(BODY, 'sha1=abc', APPS)).toBeNull();
    expect(verifyHubSignature(BODY, `sha256=${'0'.repeat(63)}`, APPS)).toBeNull();
  });
});
