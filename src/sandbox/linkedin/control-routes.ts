import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Sandbox } from '../core/sandbox.ts';

export const linkedinSettingsPatch = z
  .object({
    skipConsentWhenGranted: z.boolean(),
    localeShape: z.enum(['string', 'object']),
    signedInMemberSub: z.string().min(1).nullable(),
    duplicateWindowMs: z.number().int().min(0),
    appCallsPerDay: z.number().int().min(1),
  })
  .partial()
  .strict();

export type LinkedInSettingsPatch = z.input<typeof linkedinSettingsPatch>;

/** `/__control/linkedin/...`: LinkedIn switches and read-backs that are not part of the real API. */
export async function linkedinControlRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  const { linkedin } = sandbox;
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) =>
    reply.status(error.statusCode && error.statusCode < 500 ? error.statusCode : 500).send({ error: error.message }),
  );

  app.get('/settings', async () => linkedin.settings);
  app.put('/settings', async (request, reply) => {
    const result = linkedinSettingsPatch.safeParse(request.body ?? {});
    if (!result.success) return reply.status(400).send({ error: z.prettifyError(result.error) });
    const { signedInMemberSub, ...rest } = result.data;
    linkedin.settings = { ...linkedin.settings, ...rest };
    if (signedInMemberSub !== undefined) linkedin.settings.signedInMemberSub = signedInMemberSub ?? undefined;
    return linkedin.settings;
  });

  /** Posts with both the commentary as sent and as LinkedIn would render it. */
  app.get('/posts', async () => ({ posts: linkedin.posts }));
  app.get('/images', async () => ({ images: [...linkedin.images.values()] }));
  app.get('/grants', async () => ({
    grants: [...linkedin.grants.entries()].map(([key, scopes]) => {
      const [appId = '', memberSub = ''] = key.split(' ');
      return { appId, memberSub, scopes };
    }),
  }));
}
