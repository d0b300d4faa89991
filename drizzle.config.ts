import { defineConfig } from 'drizzle-kit';

/** Used by `npm run db:generate` to write SQL migrations from the schema; never reads secrets. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/server/db/schema/index.ts',
  out: './src/server/db/migrations',
  casing: 'snake_case',
});
