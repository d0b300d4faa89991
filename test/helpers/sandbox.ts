import type { FastifyInstance } from 'fastify';
import { createSandboxClient, type SandboxClient } from '../../src/sandbox/client.ts';
import { DEFAULT_APPS } from '../../src/sandbox/core/apps.ts';
import { Sandbox } from '../../src/sandbox/core/sandbox.ts';
import { seedDefaultWorkspace } from '../../src/sandbox/seed.ts';
import { buildSandboxServer } from '../../src/sandbox/server.ts';

export interface RunningSandbox {
  sandbox: Sandbox;
  server: FastifyInstance;
  baseUrl: string;
  urls: Sandbox['urls'];
  control: SandboxClient;
  close(): Promise<void>;
}

/**
 * A standalone sandbox listening on 127.0.0.1 (a random port), seeded with the default
 * workspace. Tests talk to it over real HTTP, as a provider client would.
 */
export async function startSandbox(options: { seed?: boolean } = {}): Promise<RunningSandbox> {
  const sandbox = new Sandbox('http://127.0.0.1');
  const server = await buildSandboxServer({ sandbox });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('sandbox did not get a TCP port');
  sandbox.setBaseUrl(`http://127.0.0.1:${address.port}`);
  if (options.seed ?? true) seedDefaultWorkspace(sandbox);
  return {
    sandbox,
    server,
    baseUrl: sandbox.baseUrl,
    urls: sandbox.urls,
    control: createSandboxClient(sandbox.baseUrl),
    close: () => server.close(),
  };
}

const instagramApp = DEFAULT_APPS.find((app) => app.platform === 'instagram');

/** A Tether process configured like a deployment: Instagram Login against the emulator, sandbox mode off. */
export const instagramLoginEnv = (emulator: RunningSandbox): Record<string, string> => ({
  SANDBOX: 'false',
  INSTAGRAM_APP_ID: instagramApp?.id ?? '',
  INSTAGRAM_APP_SECRET: instagramApp?.secret ?? '',
  INSTAGRAM_GRAPH_URL: emulator.urls.instagramGraph,
  INSTAGRAM_API_URL: emulator.urls.instagramApi,
  INSTAGRAM_WWW_URL: emulator.urls.instagramWww,
});
