import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, pgliteHandle, postgresHandle } from '../../src/server/db/client.ts';

export const TEMPLATE_DATABASE = 'tether_test_template';

/** True when the suite runs on PostgreSQL (TEST_DATABASE_URL) instead of the embedded database. */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a copy of the template, on PGlite in memory
 * or as a new PostgreSQL database that is dropped again on close.
 */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dump = new Blob([fs.readFileSync(inject('pgliteTemplate'))]);
    return pgliteHandle(await PGlite.create({ loadDataDir: dump }));
  }
  const { url, drop } = await createPostgresTestDatabase(adminUrl);
  const handle = postgresHandle(url, 5);
  return {
    ...handle,
    async close() {
      await handle.close();
      await drop();
    },
  };
}

/** A new PostgreSQL database cloned from the migrated template, for tests that start processes. */
export async function createPostgresTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tether_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
