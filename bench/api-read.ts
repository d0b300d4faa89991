import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { openDatabase } from '../src/server/db/client.ts';
import { connectedAccounts } from '../src/server/db/schema/index.ts';
import { freePort, type ServerProcess, startServer } from '../test/helpers/server-process.ts';

/**
 * The API read path: `GET /api/connected-accounts` with an API token, for a user with 10 accounts,
 * under 50 concurrent connections from autocannon on loopback, against a bare Fastify route that
 * answers the same JSON in the same run (`bench/bare-route.ts`). Tether runs as its own process
 * (ROLE=web) on the embedded database, and on PostgreSQL too when DATABASE_URL is set.
 * `--quick` measures 2 s after a 1 s warm-up instead of 10 s after 2 s.
 */
const QUICK = process.argv.includes('--quick');
const CONNECTIONS = 50;
const ACCOUNTS = 10;
const WARMUP_S = QUICK ? 1 : 2;
const DURATION_S = QUICK ? 2 : 10;
const root = path.resolve(import.meta.dirname, '..');

const log = (message: string) => console.error(`[api-read] ${message}`);

interface Measured {
  requestsPerSecond: number;
  /** CPU time the server process spent per request (Linux only), steadier than req/s on a busy machine. */
  cpuMicrosPerRequest: number | null;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** User plus system CPU seconds of a process so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

async function load(url: string, pid: number | undefined, headers: Record<string, string> = {}): Promise<Measured> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_S, headers });
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  const cpuAfter = cpuSeconds(pid);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    cpuMicrosPerRequest:
      cpuBefore === null || cpuAfter === null
        ? null
        : Math.round(((cpuAfter - cpuBefore) * 1e6) / result.requests.total),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** A user with an API token, through the HTTP API as a client would make them. */
async function signUpWithToken(baseUrl: string): Promise<{ userId: string; token: string }> {
  const origin = { origin: baseUrl, 'content-type': 'application/json' };
  const signUp = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: origin,
    body: JSON.stringify({ name: 'Bench', email: 'bench@example.com', password: 'a benchmark password' }),
  });
  if (!signUp.ok) throw new Error(`sign-up: ${signUp.status} ${await signUp.text()}`);
  const cookie = signUp.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const created = await fetch(`${baseUrl}/api/api-tokens`, {
    method: 'POST',
    headers: { ...origin, cookie },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (!created.ok) throw new Error(`token: ${created.status} ${await created.text()}`);
  const { secret: token } = (await created.json()) as { secret: string };
  const me = (await (await fetch(`${baseUrl}/api/me`, { headers: { cookie } })).json()) as { id: string };
  return { userId: me.id, token };
}

async function startBaseline(port: number, bodyFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bench/bare-route.ts'), String(port), bodyFile]);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return child;
}

async function measure(databaseUrl: string | undefined): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-bench-read-'));
  const env = {
    DATA_DIR: dataDir,
    ROLE: 'web',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  let server: ServerProcess | undefined = await startServer(env);
  let baseline: ChildProcess | undefined;
  try {
    const { userId, token } = await signUpWithToken(server.baseUrl);
    // The embedded database belongs to one process at a time: seed it while the server is stopped.
    await server.stop();
    server = undefined;
    const database = await openDatabase({ databaseUrl, dataDir });
    await database.db.insert(connectedAccounts).values(
      Array.from({ length: ACCOUNTS }, (_, i) => ({
        userId,
        provider: 'instagram' as const,
        externalId: `1784140000000${i}`,
        username: `account.${i}`,
        displayName: `Account ${i}`,
        grantedScopes: ['instagram_basic', 'instagram_content_publish'],
        tokenExpiresAt: new Date(Date.now() + 60 * 86_400_000),
      })),
    );
    await database.close();
    server = await startServer(env);

    const url = `${server.baseUrl}/api/connected-accounts`;
    const headers = { authorization: `Bearer ${token}` };
    const response = await fetch(url, { headers });
    const body = await response.text();
    if (!response.ok || (JSON.parse(body) as { accounts: unknown[] }).accounts.length !== ACCOUNTS)
      throw new Error(`expected ${ACCOUNTS} accounts, got ${response.status} ${body}`);
    const bodyFile = path.join(dataDir, 'body.json');
    fs.writeFileSync(bodyFile, body);

    log(`${databaseUrl ? 'PostgreSQL' : 'PGlite'}: Tether…`);
    const tether = await load(url, server.child.pid, headers);
    const port = await freePort();
    baseline = await startBaseline(port, bodyFile);
    log(`${databaseUrl ? 'PostgreSQL' : 'PGlite'}: bare route…`);
    const bare = await load(`http://127.0.0.1:${port}/api/connected-accounts`, baseline.pid);
    return {
      database: databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)',
      bodyBytes: Buffer.byteLength(body),
      tether,
      bareRoute: bare,
      throughputRatio: Number((tether.requestsPerSecond / bare.requestsPerSecond).toFixed(3)),
      cpuRatio:
        tether.cpuMicrosPerRequest && bare.cpuMicrosPerRequest
          ? Number((bare.cpuMicrosPerRequest / tether.cpuMicrosPerRequest).toFixed(3))
          : null,
    };
  } finally {
    baseline?.kill('SIGTERM');
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A database of its own on the server DATABASE_URL names, dropped afterwards. */
async function scratchPostgres<T>(baseUrl: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `tether_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  try {
    return await run(Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const runs = [await measure(undefined)];
const postgres = process.env.DATABASE_URL;
if (postgres) runs.push(await scratchPostgres(postgres, measure));
else log('PostgreSQL skipped: set DATABASE_URL to a server on which the benchmark may create a database');

const report = {
  scenario: 'API read path: GET /api/connected-accounts (10 accounts, API token)',
  connections: CONNECTIONS,
  durationSeconds: DURATION_S,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  runs,
};
console.log(JSON.stringify(report, null, 2));
console.log(
  '| database | Tether req/s | p50 | p99 | bare route req/s | p99 | ratio | CPU µs/req Tether | bare | CPU ratio |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const run of runs as Array<{
  database: string;
  tether: Measured;
  bareRoute: Measured;
  throughputRatio: number;
  cpuRatio: number | null;
}>)
  console.log(
    `| ${run.database} | ${run.tether.requestsPerSecond} | ${run.tether.p50Ms} ms | ${run.tether.p99Ms} ms | ${run.bareRoute.requestsPerSecond} | ${run.bareRoute.p99Ms} ms | ${run.throughputRatio} | ${run.tether.cpuMicrosPerRequest ?? '–'} | ${run.bareRoute.cpuMicrosPerRequest ?? '–'} | ${run.cpuRatio ?? '–'} |`,
  );
