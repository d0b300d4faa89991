import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { pgliteHandle, postgresHandle } from '../../src/server/db/client.ts';
import { TEMPLATE_DATABASE } from './test-database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a migrated embedded database; each test file starts from a copy. */
    pgliteTemplate: string;
  }
}

/**
 * Migrates one template database before the run: a PGlite dump, or on PostgreSQL
 * (TEST_DATABASE_URL) a template database that each test file clones.
 */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.query(`create database ${TEMPLATE_DATABASE}`);
    const url = new URL(adminUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const template = postgresHandle(url.toString(), 1);
    await template.migrate();
    await template.close();
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
      await admin.end();
    };
  }
  const client = await PGlite.create();
  const template = pgliteHandle(client);
  await template.migrate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-test-'));
  const file = path.join(dir, 'template.tar');
  fs.writeFileSync(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  await template.close();
  project.provide('pgliteTemplate', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
