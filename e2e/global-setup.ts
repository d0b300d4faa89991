import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH } from './browser.ts';

/** Fails early, with what to do, when the build or the browser is missing. */
export default function setup() {
  const index = path.resolve(import.meta.dirname, '../dist/web/index.html');
  if (!fs.existsSync(index)) throw new Error('The web app is not built: run `npm run build` first.');
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
}
