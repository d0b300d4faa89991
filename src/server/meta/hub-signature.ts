import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` against each app
 * secret, in constant time, before the body is parsed. Returns the app that signed it, or null.
 */
export function verifyHubSignature(
  rawBody: Buffer,
  header: string | undefined,
  apps: ReadonlyArray<{ appId: string; secret: string }>,
): string | null {
  const hex = header ? HEADER.exec(header.trim())?.[1] : undefined;
  if (!hex) return null;
  const given = Buffer.from(hex, 'hex');
  const app = apps.find(({ secret }) => timingSafeEqual(createHmac('sha256', secret).update(rawBody).digest(), given));
  return app?.appId ?? null;
}
