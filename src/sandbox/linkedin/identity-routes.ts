import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';
import type { LinkedInMember } from './model.ts';
import { restErrors } from './rest-errors.ts';
import { restCaller } from './rest-guard.ts';
import { LEGACY_PROFILE_SCOPES } from './scopes.ts';

/** `en-US` as the documented string, or as the `{country, language}` object seen in the wild (§10.13). */
const locale = (member: LinkedInMember, shape: 'string' | 'object') => {
  if (shape === 'string') return member.locale;
  const [language = member.locale, country = ''] = member.locale.split(/[-_]/);
  return { country, language };
};

/** OpenID Connect `GET /v2/userinfo` and the legacy `GET /v2/me` (reference §8.2); no LinkedIn-Version. */
export async function identityRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get('/v2/userinfo', { config: { endpoint: 'li.userinfo' } }, async (request) => {
    const { token, member } = restCaller(sandbox, request, { versioned: false });
    if (!token.scopes.includes('openid')) throw restErrors.accessDenied('GET /userinfo');
    return {
      sub: member.sub,
      ...(token.scopes.includes('profile')
        ? {
            name: member.name,
            given_name: member.givenName,
            family_name: member.familyName,
            ...(member.picture ? { picture: member.picture } : {}),
            locale: locale(member, sandbox.linkedin.settings.localeShape),
          }
        : {}),
      ...(token.scopes.includes('email') ? { email: member.email, email_verified: true } : {}),
    };
  });

  app.get('/v2/me', { config: { endpoint: 'li.me' } }, async (request, reply) => {
    const { token, member } = restCaller(sandbox, request, { versioned: false });
    if (!token.scopes.some((scope) => LEGACY_PROFILE_SCOPES.includes(scope))) {
      // This one answer has no `code` field (reference §8.2).
      return reply
        .status(403)
        .send({ serviceErrorCode: 100, message: 'Not enough permissions to access: GET /me', status: 403 });
    }
    return { id: member.sub, localizedFirstName: member.givenName, localizedLastName: member.familyName };
  });
}
