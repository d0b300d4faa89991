import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId, providerId } from '../../contracts/connected-accounts.ts';
import { errorResponse } from '../../contracts/errors.ts';
import { PROVIDER_CATALOGUE, type ProviderInfo, providerList } from '../../contracts/providers.ts';
import type { Config } from '../config.ts';
import { notFound } from '../errors.ts';
import { userSecurity as security } from './openapi.ts';

const tags = ['providers'];

/** The source tree's providers folder: the app runs from source, so the guides ship with it. */
const PROVIDERS_DIR = path.resolve(import.meta.dirname, '../../providers');

const setupGuidePath = (id: ProviderId) => path.join(PROVIDERS_DIR, PROVIDER_CATALOGUE[id].folder, 'SETUP.md');

/** The provider's setup guide, or null when it has none (yet). */
async function readSetupGuide(id: ProviderId): Promise<string | null> {
  try {
    return await fs.readFile(setupGuidePath(id), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const hasSetupGuide = (id: ProviderId) =>
  fs.access(setupGuidePath(id)).then(
    () => true,
    () => false,
  );

/** Every provider Tether knows: whether this instance can use it, what it publishes and how to set it up. */
export async function providerRoutes(app: FastifyInstance, { config }: { config: Config }) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', app.requireUser);

  const describe = async (id: ProviderId): Promise<ProviderInfo> => {
    const entry = PROVIDER_CATALOGUE[id];
    const provider = app.connections.providers[id];
    return {
      id,
      displayName: provider?.displayName ?? entry.displayName,
      description: entry.description,
      platform: entry.platform,
      state: config.sandbox ? 'sandboxed' : provider ? 'configured' : 'not_configured',
      canConnect: Boolean(provider),
      canPublish: Boolean(provider?.publisher),
      canRevoke: Boolean(provider?.revoke),
      kinds: [...entry.kinds],
      env: [...entry.env],
      setupGuideUrl: (await hasSetupGuide(id)) ? `/api/providers/${id}/setup` : null,
    };
  };

  api.get(
    '/api/providers',
    {
      config: { scope: 'accounts:read' },
      schema: {
        tags,
        summary: 'The platforms Tether knows and whether this instance can connect and publish to them',
        security,
        response: { 200: providerList, 401: errorResponse },
      },
    },
    async () => ({ providers: await Promise.all(PROVIDER_IDS.map(describe)) }),
  );

  api.get(
    '/api/providers/:id/setup',
    {
      config: { scope: 'accounts:read' },
      schema: {
        tags,
        summary: "A provider's setup guide (SETUP.md), as Markdown",
        security,
        params: z.object({ id: z.string().describe('A provider id, e.g. `linkedin`.') }),
        produces: ['text/markdown'],
        response: { 200: z.string(), 401: errorResponse, 404: errorResponse },
      },
    },
    async (request, reply) => {
      const id = providerId.safeParse(request.params.id);
      const guide = id.success ? await readSetupGuide(id.data) : null;
      if (guide === null) throw notFound('The setup guide');
      return reply.type('text/markdown; charset=utf-8').send(guide);
    },
  );
}
