import { createHmac } from 'node:crypto';
import type { SandboxApp } from '../core/apps.ts';
import { HOUR } from '../core/clock.ts';
import type { LinkedInMember } from './model.ts';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The OpenID Connect `id_token`: a JWT with LinkedIn's claims. LinkedIn signs with RS256 and
 * publishes its keys; the sandbox has no key set, so it signs HS256 with the client secret
 * (clients that verify signatures must skip it or use the secret in sandbox mode).
 */
export function createIdToken(input: {
  app: SandboxApp;
  member: LinkedInMember;
  scopes: string[];
  nowMs: number;
}): string {
  const { app, member, scopes, nowMs } = input;
  const iat = Math.floor(nowMs / 1000);
  const payload = {
    iss: 'https://www.linkedin.com',
    aud: app.id,
    iat,
    exp: iat + HOUR / 1000,
    sub: member.sub,
    ...(scopes.includes('profile')
      ? {
          name: member.name,
          given_name: member.givenName,
          family_name: member.familyName,
          ...(member.picture ? { picture: member.picture } : {}),
          locale: member.locale,
        }
      : {}),
    ...(scopes.includes('email') ? { email: member.email, email_verified: 'true' } : {}),
  };
  const signingInput = `${encode({ typ: 'JWT', alg: 'HS256' })}.${encode(payload)}`;
  const signature = createHmac('sha256', app.secret).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}
