import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Sandbox } from '../core/sandbox.ts';

export const facebookSettingsPatch = z
  .object({
    codeExchangeLifetime: z.enum(['short', 'long']),
    videoProcessingMs: z.number().int().min(0),
    duplicatePostWindowMs: z.number().int().min(0),
  })
  .partial()
  .strict();

/** `/__control/facebook/settings`: the switches for behaviours the reference marks uncertain. */
export async function facebookControlRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get('/settings', async () => sandbox.facebook.settings);
  app.put('/settings', async (request, reply) => {
    const result = facebookSettingsPatch.safeParse(request.body ?? {});
    if (!result.success) return reply.status(400).send({ error: z.prettifyError(result.error) });
    sandbox.facebook.settings = { ...sandbox.facebook.settings, ...result.data };
    return sandbox.facebook.settings;
  });
}
