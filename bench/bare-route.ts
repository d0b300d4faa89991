import fs from 'node:fs';
import Fastify from 'fastify';

/**
 * The API read-path benchmark's baseline: a bare Fastify route on loopback answering with the same
 * JSON body as Tether's route (read from a file), with no authentication, database or hooks.
 * `node bench/bare-route.ts <port> <body.json>`; prints `ready` once listening.
 */
const [port, bodyFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile ?? '', 'utf8');
const app = Fastify();
app.get('/api/connected-accounts', async (_request, reply) => reply.type('application/json').send(body));
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log('ready');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
