import { parseArgs } from 'node:util';
import { Sandbox } from './core/sandbox.ts';
import { seedDefaultWorkspace } from './seed.ts';
import { buildSandboxServer } from './server.ts';

/** `npm run sandbox -- --port N [--host H] [--empty]`: the provider sandbox on its own. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-url': { type: 'string' },
    empty: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port: expected a port number, got "${values.port}"`);
  process.exit(1);
}
const sandbox = new Sandbox(values['public-url'] ?? `http://localhost:${port}`);
if (!values.empty) seedDefaultWorkspace(sandbox);
const server = await buildSandboxServer({ sandbox });
await server.listen({ port, host: values.host });
console.log(`Provider sandbox listening on ${sandbox.baseUrl}`);
for (const [name, url] of Object.entries(sandbox.urls)) console.log(`  ${name.padEnd(16)} ${url}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
