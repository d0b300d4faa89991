import { createRequire } from 'node:module';

/** The package version, reported by /api/instance and the OpenAPI document. */
export const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
