import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptionKey } from '../config.ts';
import { Secret } from './secret.ts';

/**
 * AES-256-GCM with a random 96-bit IV per value. A ciphertext describes itself:
 * `v1.<key id>.<iv>.<ciphertext + 128-bit tag>` (base64url parts), so any key of the ring can be
 * found to decrypt it, and the format can change later under a new version prefix.
 */
const FORMAT_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored ciphertext: only the keyring turns it back into a Secret. */
export type Ciphertext = string & { readonly __brand: 'Ciphertext' };

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export class Keyring {
  readonly #keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  /** The first key encrypts; every key decrypts. */
  constructor(keys: readonly EncryptionKey[]) {
    const [first] = keys;
    if (!first) throw new Error('the keyring needs at least one key');
    this.#keys = new Map(keys.map((key) => [key.id, key.key]));
    this.currentKeyId = first.id;
  }

  /** `context` is bound as additional authenticated data: decryption needs the same context. */
  encrypt(secret: Secret, context: string): Ciphertext {
    const key = this.#keys.get(this.currentKeyId);
    if (!key) throw new Error('current key missing');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(secret.reveal(), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [FORMAT_VERSION, this.currentKeyId, iv.toString('base64url'), body.toString('base64url')].join(
      '.',
    ) as Ciphertext;
  }

  decrypt(ciphertext: Ciphertext, context: string): Secret {
    const [version, keyId, ivPart, bodyPart, extra] = ciphertext.split('.');
    if (version !== FORMAT_VERSION || !keyId || !ivPart || !bodyPart || extra !== undefined) {
      throw new DecryptionError('not a ciphertext this version can read');
    }
    const key = this.#keys.get(keyId);
    if (!key) throw new DecryptionError(`key "${keyId}" is not in TOKEN_ENCRYPTION_KEYS`);
    const iv = Buffer.from(ivPart, 'base64url');
    const body = Buffer.from(bodyPart, 'base64url');
    if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) throw new DecryptionError('ciphertext is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
      return new Secret(plain.toString('utf8'));
    } catch {
      // GCM authentication failed: wrong key, wrong context (e.g. copied from another row) or tampering.
      throw new DecryptionError('ciphertext does not authenticate for this context');
    }
  }

  /** The key id a ciphertext was made with, without decrypting it. */
  static keyIdOf(ciphertext: Ciphertext): string | undefined {
    return ciphertext.split('.')[1];
  }
}
