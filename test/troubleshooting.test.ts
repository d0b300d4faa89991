import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONNECT_ERRORS } from '../src/contracts/connect-errors.ts';
import { ERROR_CODES } from '../src/server/errors.ts';
import { PAUSED_FOR_RECONNECT, PUBLISH_UNCONFIRMED } from '../src/server/services/publishing.ts';

const doc = fs.readFileSync(path.join(import.meta.dirname, '../docs/troubleshooting.md'), 'utf8');
/** The codes the document explains: the first cell of each table row. */
const documented = new Set([...doc.matchAll(/^\| `([A-Z_]+)`/gm)].map((match) => match[1]));

/** Every code the API, the connect flow and publishing return is explained in docs/troubleshooting.md. */
describe('docs/troubleshooting.md', () => {
  it.each([
    ['API errors', Object.keys(ERROR_CODES)],
    ['connect errors', Object.keys(CONNECT_ERRORS)],
    ['target errors', [PAUSED_FOR_RECONNECT, PUBLISH_UNCONFIRMED]],
  ])('explains every code of the %s', (_catalogue, codes) => {
    expect(codes.filter((code) => !documented.has(code))).toEqual([]);
  });
});
