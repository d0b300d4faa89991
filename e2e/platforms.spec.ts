import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processEnvironment } from '../test/helpers/processes.ts';
import { type ServerProcess, startServer } from '../test/helpers/server-process.ts';
import {
  type AppInBrowser,
  collectProblems,
  launchBrowser,
  openAppInBrowser,
  SCREENSHOT_DIR,
  signUpInBrowser,
} from './browser.ts';

const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
};

const platformCard = (page: Page, name: string) =>
  page.getByRole('list', { name: 'Platforms' }).getByRole('listitem', { name, exact: true });

/** The platforms list where only a Facebook app is configured: what is ready, what is not, and how to set it up. */
describe('platforms on an instance with only a Facebook app', () => {
  let environment: Awaited<ReturnType<typeof processEnvironment>>;
  let server: ServerProcess;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    environment = await processEnvironment();
    server = await startServer({
      ...environment.env,
      FACEBOOK_APP_ID: '1234567890',
      FACEBOOK_APP_SECRET: 'a-facebook-app-secret',
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    problems = collectProblems(page);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await environment?.cleanup();
  });

  it('shows each platform as Ready or Not configured, with Connect only where it can', async () => {
    await signUpInBrowser(page, server.baseUrl, { name: 'Platform User', email: 'facebook-only@example.com' });
    const instagram = platformCard(page, 'Instagram (via Facebook Login)');
    await instagram.getByText('Ready', { exact: true }).waitFor();
    await instagram.getByRole('button', { name: 'Connect Instagram account through Facebook Login' }).waitFor();
    for (const name of ['Instagram (Instagram Login)', 'LinkedIn']) {
      const card = platformCard(page, name);
      await card.getByText('Not configured', { exact: true }).waitFor();
      expect(await card.getByRole('button', { name: /^Connect/ }).count(), name).toBe(0);
    }
    await platformCard(page, 'LinkedIn').getByText('LINKEDIN_CLIENT_ID').waitFor();
    await page.getByText('No accounts connected yet').waitFor();
    await shot(page, 'platforms.png');
  });

  it("opens a platform's setup guide, rendered from its SETUP.md", async () => {
    await page.getByRole('button', { name: 'Setup guide for LinkedIn', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Set up LinkedIn' });
    await dialog.getByRole('heading', { name: 'LinkedIn members: setting up the LinkedIn app' }).waitFor();
    await dialog.getByRole('heading', { name: '2. Register the redirect URI' }).waitFor();
    // Its tables (GitHub Markdown) are tables, and the variables to set are named first.
    await dialog.getByRole('columnheader', { name: 'scope' }).waitFor();
    await dialog.getByText('LINKEDIN_CLIENT_SECRET').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'platforms-setup-guide.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('showed no page errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

/** Composing to an Instagram and a LinkedIn account at once, through the sandbox. */
describe('composing for two platforms (sandbox)', () => {
  let app: AppInBrowser;
  let page: Page;
  let imageDir: string;
  const INSTAGRAM = '@northwind.coffee';
  const LINKEDIN = 'Sam Rivera';

  beforeAll(async () => {
    imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-platforms-'));
    app = await openAppInBrowser();
    ({ page } = app);
  });
  afterAll(async () => {
    await app?.close();
    if (imageDir) fs.rmSync(imageDir, { recursive: true, force: true });
  });

  it('lists every platform as Sandbox and connects Instagram and LinkedIn through the sandbox', async () => {
    await signUpInBrowser(page, app.server.baseUrl, { name: 'Platform User', email: 'two-platforms@example.com' });
    const platforms = page.getByRole('list', { name: 'Platforms' });
    await platforms.getByRole('listitem').first().waitFor();
    const cards = await platforms.getByRole('listitem').count();
    expect(cards).toBe(5);
    expect(await platforms.getByText('Sandbox', { exact: true }).count()).toBe(cards);

    await page.getByRole('button', { name: 'Connect Instagram account through Facebook Login' }).click();
    await page.getByRole('button', { name: 'Continue as Sam Rivera' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await page.getByRole('article', { name: 'northwind.coffee' }).waitFor();

    await page.getByRole('button', { name: 'Connect LinkedIn profile' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    const linkedin = page.getByRole('article', { name: LINKEDIN });
    await linkedin.getByText('LinkedIn profile').waitFor();
    // Data access is Meta's idea: LinkedIn's card does not mention it.
    expect(await linkedin.getByText(/Data access/).count()).toBe(0);
    await page
      .getByRole('article', { name: 'northwind.coffee' })
      .getByText(/Data access expires/)
      .waitFor();

    await linkedin.getByRole('button', { name: `Disconnect ${LINKEDIN}` }).click();
    const dialog = page.getByRole('dialog', { name: `Disconnect ${LINKEDIN}?` });
    await dialog.getByText('LinkedIn Settings → Data privacy → Permitted services').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await shot(page, 'platforms-connected.png');
  });

  it("checks each platform's rules before publishing and previews the post for each", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('heading', { name: 'Compose', level: 1 }).waitFor();
    await page
      .getByRole('group', { name: 'Instagram accounts' })
      .getByRole('checkbox', { name: /northwind/ })
      .click();
    await page
      .getByRole('group', { name: 'LinkedIn accounts' })
      .getByRole('checkbox', { name: /Sam Rivera/ })
      .click();
    await page.getByRole('radio', { name: /Story/ }).check();
    await page.getByLabel('Caption').fill('Cupping on Saturday at ten. Bring a friend!');

    // The server's check, without submitting: a story needs a file; LinkedIn takes text alone.
    const instagramProblems = page.getByRole('list', { name: `Problems for ${INSTAGRAM}` });
    await instagramProblems.getByText(/takes exactly one image or video/).waitFor();
    expect(await page.getByRole('list', { name: `Problems for ${LINKEDIN}` }).count()).toBe(0);

    await page.getByRole('figure', { name: 'Instagram preview of the story post' }).waitFor();
    const linkedinPreview = page.getByRole('figure', { name: 'LinkedIn preview of the post' });
    await linkedinPreview.getByText('Cupping on Saturday at ten.').waitFor();
    await linkedinPreview.getByText(LINKEDIN).waitFor();
    await shot(page, 'compose-two-platforms.png');

    // With a picture the story is fine too, and both previews show it.
    const file = path.join(imageDir, 'cupping.jpg');
    await sharp({ create: { width: 1080, height: 1920, channels: 3, background: '#7a4b2a' } })
      .jpeg()
      .toFile(file);
    await page.locator('input[type="file"]').setInputFiles(file);
    await page
      .getByRole('listitem', { name: '1. cupping.jpg' })
      .getByRole('progressbar')
      .waitFor({ state: 'detached' });
    await instagramProblems.waitFor({ state: 'detached' });
    await linkedinPreview.locator(`img[src^="${app.server.baseUrl}/media/"]`).waitFor();
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
