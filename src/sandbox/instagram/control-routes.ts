import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CONTROL_PREFIX } from '../core/hosts.ts';
import type { Sandbox } from '../core/sandbox.ts';

export const INSTAGRAM_CONTROL_PATH = `${CONTROL_PREFIX}/instagram/settings`;

/** A partial update of InstagramSettings (model.ts documents each switch). */
export const instagramSettingsPatch = z
  .object({
    tokenResponseShape: z.enum(['alternate', 'wrapped', 'flat']),
    mediaFetchTimeoutMs: z.number().int().min(1).max(60_000),
    videoProcessingMs: z.number().int().min(0),
    containerCapPer24h: z.number().int().min(1),
    resumableWithInstagramLogin: z.boolean(),
  })
  .strict()
  .partial();

/** `GET|PUT /__control/instagram/settings`: the Instagram family's switches. */
export async function instagramControlRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get(INSTAGRAM_CONTROL_PATH, async () => sandbox.instagram.settings);
  app.put(INSTAGRAM_CONTROL_PATH, async (request, reply) => {
    const result = instagramSettingsPatch.safeParse(request.body ?? {});
    if (!result.success) return reply.status(400).send({ error: z.prettifyError(result.error) });
    sandbox.instagram.settings = { ...sandbox.instagram.settings, ...result.data };
    // A new shape choice starts its alternation afresh (wrapped first).
    if (result.data.tokenResponseShape) sandbox.instagram.tokenExchanges = 0;
    return sandbox.instagram.settings;
  });
}
