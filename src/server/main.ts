import type { FastifyInstance } from 'fastify';
import type { PgBoss } from 'pg-boss';
import { buildApp } from './app.ts';
import { ConfigError, DEV_SECRETS_FILE, loadConfig } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { GRACEFUL_STOP_MS, startJobs, startWorkers } from './jobs/runner.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { createConnectDeps } from './services/connect-deps.ts';

/** Entry point: `ROLE=all` (default) serves HTTP and runs workers, `web` only HTTP, `worker` only jobs. */
async function main() {
  let loaded: ReturnType<typeof loadConfig>;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const { config, generatedSecrets } = loaded;
  const logger = createLogger(config.logLevel);
  if (generatedSecrets.length > 0) {
    logger.warn(
      { file: `${config.dataDir}/${DEV_SECRETS_FILE}`, variables: generatedSecrets },
      'generated development secrets; set TOKEN_ENCRYPTION_KEYS and AUTH_SECRET yourself in production',
    );
  }

  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch((error) => {
    if (error instanceof DataDirLockedError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  });
  await database.migrate();
  logger.info({ database: database.kind, role: config.role, sandbox: config.sandbox }, 'database ready');

  // One set of metrics for the process: the workers count into it and the app serves it.
  const metrics = new Metrics();
  const connections = createConnectDeps({ config, db: database.db, log: logger, metrics });
  const jobDeps = { database, role: config.role, logger, connections };
  const boss: PgBoss = await startJobs({ ...jobDeps, work: false });
  let app: FastifyInstance | undefined;
  if (config.role !== 'worker') {
    app = await buildApp({ config, database, logger, boss, metrics });
    await app.listen({ port: config.port, host: config.host });
    logger.info(`Tether is running at ${config.publicUrl}${config.sandbox ? ' (sandbox mode)' : ''}`);
  }
  // Workers start once the media files are served: a post due at start-up is published from
  // files the platform fetches from this process.
  await startWorkers(boss, jobDeps);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests and jobs');
    const forced = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, GRACEFUL_STOP_MS + 10_000);
    forced.unref();
    try {
      await app?.close();
      await boss.stop({ graceful: true, timeout: GRACEFUL_STOP_MS, close: true });
      await database.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

await main();
