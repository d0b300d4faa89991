import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { processEnvironment } from '../test/helpers/processes.ts';
import { type ServerProcess, startServer } from '../test/helpers/server-process.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../test-results');

/** A headless Chromium with a fresh profile that never talks to the network on its own. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects page errors and console errors (CSP violations among them). Chromium also reports
 * every non-2xx response as "Failed to load resource"; pages answer 4xx on purpose in these
 * tests, so those lines are not counted.
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(message.text());
    }
  });
  return problems;
}

export interface AppInBrowser {
  server: ServerProcess;
  /** The server's environment (its DATA_DIR among it). */
  env: Record<string, string>;
  context: BrowserContext;
  page: Page;
  /** Page errors and console errors seen so far (see collectProblems). */
  problems: string[];
  close(): Promise<void>;
}

/** A Tether server on a fresh DATA_DIR (sandbox mode) and a browser page watching for problems. */
export async function openAppInBrowser(): Promise<AppInBrowser> {
  const environment = await processEnvironment();
  const server = await startServer(environment.env);
  const browser = await launchBrowser();
  const page = await browser.context.newPage();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    server,
    env: environment.env,
    context: browser.context,
    page,
    problems: collectProblems(page),
    async close() {
      await browser.close();
      await server.stop();
      await environment.cleanup();
    },
  };
}

/** Signs up through the form (a password of the user's name, long enough) and waits for the accounts page. */
export async function signUpInBrowser(page: Page, baseUrl: string, user: { name: string; email: string }) {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(`${user.name.toLowerCase()} password for tests`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(/\/settings\/social-accounts$/);
}
