import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1: `/ok` (with any query) answers 200, `/fail` 500, `/flaky` 500 the first time
 * and 200 after, `/redirect` a 302 to `/ok`.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const seen = received.filter((item) => item.path === path).length;
      if (path.startsWith('/ok') || (path === '/flaky' && seen > 1)) response.writeHead(200).end('thanks');
      else if (path === '/redirect') response.writeHead(302, { location: '/ok' }).end();
      else response.writeHead(500).end('broken');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    at: (path: string) => received.filter((item) => item.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Recomputes the signature the way a receiver would. */
export function verifySignature(secret: string, header: string | undefined, body: string): { timestamp: number } {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=') as [string, string]));
  const timestamp = Number(parts.t);
  const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('signature mismatch');
  return { timestamp };
}
