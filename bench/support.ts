import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PgBoss } from 'pg-boss';
import sharp from 'sharp';
import { INSTAGRAM_LOGIN_SCOPES } from '../src/providers/instagram-login/provider.ts';
import { DEFAULT_APPS, type SandboxApp } from '../src/sandbox/core/apps.ts';
import { Sandbox } from '../src/sandbox/core/sandbox.ts';
import { buildSandboxServer } from '../src/sandbox/server.ts';
import type { Config } from '../src/server/config.ts';
import type { Database } from '../src/server/db/client.ts';
import { connectedAccounts, type postTargets, user } from '../src/server/db/schema/index.ts';
import type { Logger } from '../src/server/logger.ts';
import { LocalDiskStorage, mediaRoot } from '../src/server/media/local-disk-storage.ts';
import type { ConnectDeps } from '../src/server/services/connect-account.ts';
import { REINSPECT_EVERY_MS } from '../src/server/services/connect-account.ts';
import { storeUpload } from '../src/server/services/media.ts';
import { createPost } from '../src/server/services/posts.ts';
import { Secret } from '../src/server/vault/secret.ts';
import { freePort } from '../test/helpers/server-process.ts';

/*
 * What the PostgreSQL benchmarks share: the sandbox standing in for Instagram on a port of its
 * own, Tether processes pointed at it, Instagram Login accounts and a JPEG seeded straight into
 * the database, posts created through the service, and the platform's count of duplicates.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const DAY_MS = 24 * 60 * 60_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The sandbox, standalone on a loopback port, counting the calls each endpoint served. */
export async function startPlatform() {
  const port = await freePort();
  const sandbox = new Sandbox(`http://127.0.0.1:${port}`);
  const server = await buildSandboxServer({ sandbox });
  const calls = new Map<string, number>();
  server.addHook('onResponse', async (request) => {
    const endpoint = request.routeOptions.config?.endpoint;
    if (endpoint) calls.set(endpoint, (calls.get(endpoint) ?? 0) + 1);
  });
  await server.listen({ port, host: '127.0.0.1' });
  const instagramApp = DEFAULT_APPS.find((app) => app.platform === 'instagram');
  if (!instagramApp) throw new Error('no sandbox Instagram app');
  const sortedCalls = () => Object.fromEntries([...calls].sort(([a], [b]) => a.localeCompare(b)));
  return { sandbox, server, port, calls, sortedCalls, instagramApp };
}

/**
 * The environment of every Tether process (and of the benchmark's own config): built from
 * scratch, so no provider variable of the caller's shell leaks in. Instagram Login is pointed at
 * the sandbox; sandbox mode itself is off, as against a real platform.
 */
export function tetherEnvironment(input: {
  webPort: number;
  dataDir: string;
  databaseUrl: string;
  sandbox: Sandbox;
  instagramApp: SandboxApp;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: String(input.webPort),
    PUBLIC_URL: `http://127.0.0.1:${input.webPort}`,
    DATA_DIR: input.dataDir,
    DATABASE_URL: input.databaseUrl,
    TOKEN_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX: 'false',
    INSTAGRAM_APP_ID: input.instagramApp.id,
    INSTAGRAM_APP_SECRET: input.instagramApp.secret,
    INSTAGRAM_GRAPH_URL: input.sandbox.urls.instagramGraph,
    INSTAGRAM_API_URL: input.sandbox.urls.instagramApi,
    INSTAGRAM_WWW_URL: input.sandbox.urls.instagramWww,
    ...input.extra,
  };
}

export interface TetherChild {
  name: string;
  process: ChildProcess;
  logFile: string;
}

/** Starts `src/server/main.ts` with its output appended to `<workDir>/<name>.log`; resolves once its workers run. */
export function startTether(
  workDir: string,
  env: NodeJS.ProcessEnv,
  name: string,
  role: 'all' | 'worker',
  timeoutMs = 60_000,
): Promise<TetherChild> {
  const logFile = path.join(workDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const startedAt = fs.statSync(logFile).size;
  const child = spawn(process.execPath, [path.join(ROOT, 'src/server/main.ts')], {
    cwd: ROOT,
    env: { ...env, ROLE: role },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const started = { name, process: child, logFile };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = setInterval(() => {
      if (fs.readFileSync(logFile, 'utf8').slice(startedAt).includes('workers started')) {
        clearInterval(check);
        resolve(started);
      } else if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        clearInterval(check);
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start; see ${logFile}`));
      }
    }, 100);
  });
}

/** Stops the processes with SIGTERM and waits for them to exit. */
export async function stopTether(children: TetherChild[]): Promise<void> {
  await Promise.all(
    children.map(
      ({ process: child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** The one user the benchmarks post as. */
export async function createBenchUser(db: Database, userId = 'bench-user'): Promise<string> {
  await db.insert(user).values({ id: userId, name: 'Bench', email: `${userId}@example.com` });
  return userId;
}

/**
 * Instagram Login accounts on the platform and in Tether, with the platform's token encrypted
 * through the vault, as a connect flow would leave them. `tokenAgeMs` back-dates the token on both
 * sides (a 60-day token that old is within Tether's refresh margin once it is over 50 days), and
 * `dueNow` makes the next keep-alive check due at once.
 */
export async function seedInstagramAccounts(
  connections: ConnectDeps,
  platform: { sandbox: Sandbox; instagramApp: SandboxApp },
  input: {
    userId: string;
    count: number;
    quotaTotal: number;
    /** Numbers the accounts from here, so several calls never collide. */
    firstIndex?: number;
    tokenAgeMs?: number;
    dueNow?: boolean;
  },
): Promise<Array<{ id: string; externalId: string }>> {
  const { sandbox, instagramApp } = platform;
  const now = Date.now();
  const age = input.tokenAgeMs ?? 0;
  const accounts: Array<{ id: string; externalId: string }> = [];
  await connections.db.transaction(async (tx) => {
    for (let index = 0; index < input.count; index++) {
      const n = (input.firstIndex ?? 0) + index;
      const externalId = `178414${String(90_000_000_000 + n)}`;
      const username = `burst.account.${n}`;
      sandbox.instagram.accounts.set(externalId, {
        id: externalId,
        appScopedId: `259${String(90_000_000_000_000 + n)}`,
        username,
        name: `Burst Account ${n}`,
        accountType: 'BUSINESS',
        profilePictureUrl: `${sandbox.urls.media}/avatars/northwind-coffee.jpg`,
        followersCount: 1000,
        followsCount: 100,
        quotaTotal: input.quotaTotal,
      });
      const token = sandbox.tokens.issue({
        kind: 'instagram_user',
        appId: instagramApp.id,
        subjectId: externalId,
        scopes: [...INSTAGRAM_LOGIN_SCOPES],
        expiresInMs: 60 * DAY_MS - age,
        longLived: true,
      });
      // Issued `age` ago as far as the platform knows (its refresh-age rule reads issuedAt).
      token.issuedAt -= age;
      const [row] = await tx
        .insert(connectedAccounts)
        .values({
          userId: input.userId,
          provider: 'instagram_login',
          externalId,
          username,
          displayName: `Burst Account ${n}`,
          status: 'active',
          grantedScopes: [...INSTAGRAM_LOGIN_SCOPES],
          tokenExpiresAt: new Date(token.expiresAt ?? now),
          tokenObtainedAt: new Date(now - age),
          lastCheckedAt: new Date(now - age),
          nextCheckAt: new Date(input.dueNow ? now - 60_000 : now + REINSPECT_EVERY_MS),
        })
        .returning({ id: connectedAccounts.id });
      if (!row) throw new Error('account insert returned nothing');
      await connections.vault.store(tx, { accountId: row.id, kind: 'user_access', secret: new Secret(token.token) });
      accounts.push({ id: row.id, externalId });
    }
  });
  return accounts;
}

/** One 1080 × 1080 JPEG in the user's library, through the media service (stored where the web process serves it). */
export async function storeBenchJpeg(input: {
  db: Database;
  config: Config;
  logger: Logger;
  userId: string;
}): Promise<string> {
  const jpeg = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: '#c0703a' } })
    .jpeg()
    .toBuffer();
  const stored = await storeUpload(
    {
      db: input.db,
      storage: new LocalDiskStorage(mediaRoot(input.config.dataDir)),
      publicUrl: input.config.publicUrl,
      limits: input.config.media,
      log: input.logger,
    },
    {
      userId: input.userId,
      fileName: 'burst.jpg',
      source: (async function* () {
        yield jpeg;
      })(),
    },
  );
  return stored.id;
}

/** `postsPerAccount` single-image feed posts per account, all scheduled for `scheduledAt`, created by a few callers at once. */
export async function createBurst(
  connections: ConnectDeps,
  boss: PgBoss,
  input: { userId: string; accountIds: string[]; postsPerAccount: number; mediaId: string; scheduledAt: Date },
): Promise<number> {
  const work = input.accountIds.flatMap((accountId) =>
    Array.from({ length: input.postsPerAccount }, (_, n) => ({ accountId, n })),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let item = work[next++]; item; item = work[next++]) {
        await createPost(connections, boss, {
          userId: input.userId,
          body: {
            caption: `Burst post ${item.n + 1} #bench`,
            mediaIds: [input.mediaId],
            targets: [{ accountId: item.accountId, kind: 'feed' }],
            scheduledAt: input.scheduledAt.toISOString(),
          },
        });
      }
    }),
  );
  return work.length;
}

/**
 * Duplicates on the platform: media beyond one per target container, media from containers no
 * target knows (a second upload that was published too), and media beyond the posts per account.
 */
export function platformDuplicates(
  sandbox: Sandbox,
  targets: Array<Pick<typeof postTargets.$inferSelect, 'containerId' | 'accountId'>>,
  externalIdOf: Map<string, string>,
) {
  const media = [...sandbox.instagram.media.values()];
  const mediaPerContainer = new Map<string, number>();
  for (const item of media) mediaPerContainer.set(item.containerId, (mediaPerContainer.get(item.containerId) ?? 0) + 1);
  const targetContainers = new Set(targets.map((target) => target.containerId).filter(Boolean));
  const duplicatesPerContainer = [...mediaPerContainer.values()].reduce(
    (sum, count) => sum + Math.max(0, count - 1),
    0,
  );
  const mediaFromUnknownContainers = media.filter((item) => !targetContainers.has(item.containerId)).length;
  const mediaPerAccount = new Map<string, number>();
  for (const item of media) mediaPerAccount.set(item.accountId, (mediaPerAccount.get(item.accountId) ?? 0) + 1);
  const targetsPerAccount = new Map<string, number>();
  for (const target of targets) {
    const external = externalIdOf.get(target.accountId) ?? '';
    targetsPerAccount.set(external, (targetsPerAccount.get(external) ?? 0) + 1);
  }
  const mediaBeyondPostsPerAccount = [...mediaPerAccount].reduce(
    (sum, [account, count]) => sum + Math.max(0, count - (targetsPerAccount.get(account) ?? 0)),
    0,
  );
  return { media: media.length, duplicatesPerContainer, mediaFromUnknownContainers, mediaBeyondPostsPerAccount };
}
