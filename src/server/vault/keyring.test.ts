import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type Ciphertext, DecryptionError, Keyring } from './keyring.ts';
import { Secret } from './secret.ts';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('Keyring (AES-256-GCM)', () => {
  const k1 = key('k1');
  const k2 = key('k2');
  const secret = new Secret('EAABtoken-value-123');

  it('round-trips a value under its context with a fresh IV each time', () => {
    const ring = new Keyring([k1]);
    const a = ring.encrypt(secret, 'account/1/user_access');
    const b = ring.encrypt(secret, 'account/1/user_access');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('EAAB');
    expect(ring.decrypt(a, 'account/1/user_access').reveal()).toBe('EAABtoken-value-123');
    expect(Keyring.keyIdOf(a)).toBe('k1');
  });

  it('refuses a ciphertext under another context (copied to another row or kind)', () => {
    const ring = new Keyring([k1]);
    const ciphertext = ring.encrypt(secret, 'account/1/user_access');
    expect(() => ring.decrypt(ciphertext, 'account/2/user_access')).toThrow(DecryptionError);
    expect(() => ring.decrypt(ciphertext, 'account/1/page_access')).toThrow(DecryptionError);
  });

  it('detects tampering and malformed values', () => {
    const ring = new Keyring([k1]);
    const ciphertext = ring.encrypt(secret, 'c');
    const parts = ciphertext.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    const tampered = [parts[0], parts[1], parts[2], body.toString('base64url')].join('.') as Ciphertext;
    expect(() => ring.decrypt(tampered, 'c')).toThrow(DecryptionError);
    for (const bad of ['', 'v2.k1.a.b', 'v1.k1.short.x', 'plaintext-token', `${ciphertext}.extra`]) {
      expect(() => ring.decrypt(bad as Ciphertext, 'c')).toThrow(DecryptionError);
    }
  });

  it('encrypts with the first key and decrypts with any key of the ring', () => {
    const old = new Keyring([k1]).encrypt(secret, 'c');
    const rotated = new Keyring([k2, k1]);
    expect(rotated.decrypt(old, 'c').reveal()).toBe(secret.reveal());
    expect(Keyring.keyIdOf(rotated.encrypt(secret, 'c'))).toBe('k2');
    expect(() => new Keyring([k2]).decrypt(old, 'c')).toThrow(/key "k1" is not in TOKEN_ENCRYPTION_KEYS/);
  });
});

describe('Secret', () => {
  it('never shows its value when printed, logged or serialised', () => {
    const secret = new Secret('IGAA-very-secret');
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect(secret)).not.toContain('IGAA');
    expect(secret.reveal()).toBe('IGAA-very-secret');
    expect(() => new Secret('')).toThrow();
  });
});
