import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { PgBoss } from 'pg-boss';
import { fromPglite } from 'pg-boss';
import { type ChangeFeed, type ChangeHandlers, pgliteChangeFeed, postgresChangeFeed } from './change-feed.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

type BossOptions = ConstructorParameters<typeof PgBoss>[0];

export interface DatabaseHandle {
  kind: 'pglite' | 'postgres';
  db: Database;
  /** How pg-boss reaches the same database: its own pool on PostgreSQL, the shared instance on PGlite. */
  bossOptions: Exclude<BossOptions, string>;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /** Subscribes to the committed changes the triggers announce (change-feed.ts). */
  subscribeToChanges(handlers: ChangeHandlers): Promise<ChangeFeed>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** A database that does not accept a connection within this time is reported as unreachable. */
const CONNECT_TIMEOUT_MS = 5_000;

/** Serialises migrations across processes that share one PostgreSQL database. */
const MIGRATION_LOCK_ID = 7_284_110_311;

export interface OpenDatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL; the embedded database always has a single connection. */
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl
    ? postgresHandle(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(path.join(options.dataDir, 'pglite'));
}

export function postgresHandle(connectionString: string, max = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A dropped idle connection is reported here; the pool replaces it on the next query.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema, casing: 'snake_case' });
  return {
    kind: 'postgres',
    db,
    bossOptions: { connectionString, max: Math.max(2, Math.floor(max / 2)) },
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(client, { schema, casing: 'snake_case' }), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    subscribeToChanges: async (handlers) => postgresChangeFeed(connectionString, handlers, CONNECT_TIMEOUT_MS),
    close: () => pool.end(),
  };
}

/**
 * The embedded database's buffer cache: 16 MB instead of PostgreSQL's 128 MB. PGlite's memory is
 * WebAssembly memory, which never shrinks, so a full cache stays in the process's RSS for good (about
 * 110 MB more after writing 50 MB of rows); an instance small enough to embed fits in 16 MB, and
 * pages read again come from the operating system's file cache.
 */
const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

async function openPglite(directory: string): Promise<DatabaseHandle> {
  fs.mkdirSync(directory, { recursive: true });
  const lock = acquireDataDirLock(directory);
  try {
    return pgliteHandle(await PGlite.create(directory, { startParams: PGLITE_START_PARAMS }), () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Wraps an open PGlite instance; `onClose` runs after it is closed. */
export function pgliteHandle(client: PGlite, onClose: () => void = () => {}): DatabaseHandle {
  const db = drizzlePglite(client, { schema, casing: 'snake_case' });
  return {
    kind: 'pglite',
    db,
    bossOptions: { db: fromPglite(client), backend: 'pglite' },
    migrate: () => migratePglite(db, { migrationsFolder }),
    async ping() {
      await client.query('select 1');
    },
    subscribeToChanges: (handlers) => pgliteChangeFeed(client, handlers),
    async close() {
      await client.close();
      onClose();
    },
  };
}
