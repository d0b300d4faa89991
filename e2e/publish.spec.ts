import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Post } from '../src/contracts/posts.ts';
import type { ServerProcess } from '../test/helpers/server-process.ts';
import { type AppInBrowser, openAppInBrowser, SCREENSHOT_DIR, signUpInBrowser } from './browser.ts';

const ACCOUNT = '@northwind.coffee';
const CAPTION = 'Fresh roast this morning ☕ Come by and say hi to @northwind.roastery #coffee #roastery';

/** A 1080×1080 JPEG, the shape Instagram's feed likes best. */
async function writeJpeg(dir: string, name: string, color: string): Promise<string> {
  const file = path.join(dir, name);
  const image = await sharp({ create: { width: 1080, height: 1080, channels: 3, background: color } })
    .composite([
      {
        input: Buffer.from(
          '<svg width="1080" height="1080"><circle cx="540" cy="540" r="300" fill="#f5e6d3"/><circle cx="540" cy="540" r="150" fill="#6f4e37"/></svg>',
        ),
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
  fs.writeFileSync(file, image);
  return file;
}

/** Publishing from the Compose page and following it on the Posts page, through the sandbox. */
describe('publishing a post in the browser (sandbox)', () => {
  let app: AppInBrowser;
  let server: ServerProcess;
  let page: Page;
  let imageDir: string;

  /** An <img> of a file in the media library (not the sandbox's avatars). */
  const libraryImage = () => `img[src^="${server.baseUrl}/media/"]`;
  const shot = async (name: string) => {
    // From the top: a full-page shot of a scrolled page draws the fixed header part-way down.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, name), fullPage: true });
  };
  const posts = async () => {
    const response = await page.request.get(`${server.baseUrl}/api/posts`);
    expect(response.status()).toBe(200);
    return ((await response.json()) as { posts: Post[] }).posts;
  };
  const control = async (method: 'POST' | 'PUT', suffix: string, body: unknown) => {
    const response = await fetch(`${server.baseUrl}/sandbox/__control${suffix}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  const openCompose = async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compose' }).click();
    await page.getByRole('heading', { name: 'Compose', level: 1 }).waitFor();
  };
  const upload = async (file: string) => {
    await page.locator('input[type="file"]').setInputFiles(file);
    const tile = page.getByRole('listitem', { name: `1. ${path.basename(file)}` });
    await tile.waitFor();
    // Done once the progress bar is gone and the library's copy is shown.
    await tile.getByRole('progressbar').waitFor({ state: 'detached' });
    await tile.locator(libraryImage()).waitFor();
  };

  beforeAll(async () => {
    imageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tether-publish-'));
    app = await openAppInBrowser();
    ({ server, page } = app);
  });
  afterAll(async () => {
    await app?.close();
    if (imageDir) fs.rmSync(imageDir, { recursive: true, force: true });
  });

  it('asks to connect an account before composing', async () => {
    await signUpInBrowser(page, server.baseUrl, { name: 'Publish User', email: 'publish@example.com' });
    await openCompose();
    await page.getByText('Connect an account first').waitFor();
    await page.getByRole('link', { name: 'Connect an account' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
  });

  it('offers both ways to connect Instagram, with what sets them apart', async () => {
    await page.getByText('No accounts connected yet').waitFor();
    await page.getByRole('button', { name: 'Connect with Instagram Login' }).waitFor();
    await page.getByText('no Facebook Page needed').waitFor();
  });

  it('connects the sandbox Instagram account through Facebook Login', async () => {
    await page.getByRole('button', { name: 'Connect Instagram account' }).click();
    await page.getByRole('heading', { name: /is requesting access/ }).waitFor();
    await page.getByRole('button', { name: 'Continue as Sam Rivera' }).click();
    await page.waitForURL(/\/settings\/social-accounts$/);
    await page.getByRole('article', { name: 'northwind.coffee' }).getByText('Active', { exact: true }).waitFor();
  });

  it('composes a feed post: upload, account, caption counters, preview', async () => {
    await openCompose();
    const account = page.getByRole('checkbox', { name: new RegExp(ACCOUNT) });
    // The only account is chosen already.
    expect(await account.getAttribute('aria-checked')).toBe('true');

    await upload(await writeJpeg(imageDir, 'morning-roast.jpg', '#c0703a'));
    expect(await page.getByRole('radio', { name: /Feed/ }).isChecked()).toBe(true);

    await page.getByLabel('Caption').fill(CAPTION);
    await page.getByText(`Characters ${[...CAPTION].length} / 2,200`).waitFor();
    await page.getByText('Hashtags 2 / 30').waitFor();
    await page.getByText('Mentions 1 / 20').waitFor();

    const preview = page.getByRole('figure', { name: 'Preview of the feed post' });
    await preview.getByText('northwind.coffee').first().waitFor();
    await preview.locator(libraryImage()).waitFor();
    await preview.getByText(/Fresh roast this morning/).waitFor();
    await shot('composer.png');
  });

  it('turns a counter red past its limit', async () => {
    const tags = Array.from({ length: 31 }, (_, index) => `#tag${index}`).join(' ');
    await page.getByLabel('Caption').fill(tags);
    const counter = page.getByText('Hashtags 31 / 30');
    await counter.waitFor();
    expect(await counter.getAttribute('data-over')).toBe('true');
    await page.getByText("Over Instagram's limits: 1 hashtags too many.").waitFor();
    await page.getByLabel('Caption').fill(CAPTION);
    await page.getByText('Hashtags 2 / 30').waitFor();
  });

  it('publishes now and follows the post until it is published, with its permalink', async () => {
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/posts$/);
    await page.getByRole('heading', { name: 'Posts', level: 1 }).waitFor();
    const card = page.getByRole('article').filter({ hasText: 'Fresh roast this morning' });
    const target = card.getByRole('listitem', { name: `${ACCOUNT}: Published` });
    await target.waitFor({ timeout: 30_000 });
    const link = target.getByRole('link', { name: 'View on Instagram' });
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('href')).toMatch(/\/p\/[^/]+\/$/);
    await card.locator(libraryImage()).waitFor();
    await shot('posts.png');

    const [post] = await posts();
    expect(post?.targets).toMatchObject([{ status: 'published', kind: 'feed' }]);
    await page.getByRole('tab', { name: 'Published' }).click();
    await card.waitFor();
    await page.getByRole('tab', { name: 'Failed' }).click();
    await page.getByText('No failed posts').waitFor();
  });

  it("shows the server's problem next to the account and publishes nothing (carousel of one)", async () => {
    await openCompose();
    await page.getByRole('button', { name: 'Choose from library' }).click();
    const library = page.getByRole('dialog', { name: 'Choose from your library' });
    await library.getByRole('checkbox', { name: /morning-roast\.jpg/ }).click();
    await library.getByRole('button', { name: 'Add file' }).click();
    await library.waitFor({ state: 'detached' });
    await page.getByRole('listitem', { name: '1. morning-roast.jpg' }).waitFor();

    await page.getByRole('radio', { name: /Carousel/ }).check();
    await page.getByText('A carousel takes 2 to 10 items; add more.').waitFor();
    await page.getByLabel('Caption').fill('Only one picture');
    await page.getByRole('button', { name: 'Publish now' }).click();

    const problems = page.getByRole('list', { name: `Problems for ${ACCOUNT}` });
    await problems.getByText(/A carousel has 2 to 10 items; this one has 1/).waitFor();
    await page.getByRole('alert').filter({ hasText: 'Nothing was published' }).waitFor();
    expect(page.url()).toMatch(/\/compose$/);
    expect(await posts()).toHaveLength(1);
    await shot('composer-problem.png');
  });

  it('schedules a post, lists it under Upcoming in local time, and cancels it after confirming', async () => {
    await page.getByRole('radio', { name: /Feed/ }).check();
    await page.getByLabel('Caption').fill('Saturday cupping session');
    // The segmented control's radio is visually hidden; its label is what people click.
    await page
      .locator('label')
      .filter({ hasText: /^Schedule$/ })
      .click();
    await page.getByText(/Your time zone: /).waitFor();
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.waitForURL(/\/posts\?view=upcoming$/);
    const card = page.getByRole('article').filter({ hasText: 'Saturday cupping session' });
    await card.getByText(/^Scheduled for /).waitFor();
    await card.getByRole('listitem', { name: `${ACCOUNT}: Scheduled` }).waitFor();

    await card.getByRole('button', { name: 'Cancel post' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this post?' });
    await dialog.getByRole('button', { name: 'Cancel post' }).click();
    await card.getByRole('listitem', { name: `${ACCOUNT}: Canceled` }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect((await posts()).find((post) => post.caption === 'Saturday cupping session')?.targets[0]?.status).toBe(
      'canceled',
    );
  });

  it('shows a failed publish with its reason and publishes it on Retry', async () => {
    await control('POST', '/faults', {
      endpoint: 'ig.graph.media.create',
      times: 1,
      fault: {
        type: 'response',
        status: 400,
        body: {
          error: {
            message: '(#100) Media download has failed.',
            type: 'OAuthException',
            code: 100,
            error_subcode: 2207052,
            is_transient: false,
          },
        },
      },
    });
    await openCompose();
    await upload(await writeJpeg(imageDir, 'latte-art.jpg', '#8a5a3c'));
    await page.getByLabel('Caption').fill('Latte art Thursday');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.waitForURL(/\/posts$/);
    await page.getByRole('tab', { name: 'Failed' }).click();
    const card = page.getByRole('article').filter({ hasText: 'Latte art Thursday' });
    const failed = card.getByRole('listitem', { name: `${ACCOUNT}: Failed` });
    await failed.waitFor({ timeout: 30_000 });
    await failed.getByText('Instagram could not download the media').waitFor();
    await shot('posts-failed.png');

    await failed.getByRole('button', { name: `Retry ${ACCOUNT}` }).click();
    // It stays in view while it publishes again.
    await card.getByRole('listitem', { name: `${ACCOUNT}: Published` }).waitFor({ timeout: 30_000 });
  });

  it('tells each outcome in the notification bell, and opens the post from there', async () => {
    // A fresh load reads the notifications now rather than at the next poll.
    await page.goto(`${server.baseUrl}/settings/social-accounts`);
    await page.getByRole('button', { name: 'Notifications, 3 unread' }).click();
    const list = page.getByRole('dialog', { name: 'Notifications' });
    await list.getByText(`Published to ${ACCOUNT}`).first().waitFor();
    const failed = list.getByRole('button', { name: new RegExp(`Could not publish to ${ACCOUNT}`) });
    await failed.getByText('Instagram could not download the media').waitFor();
    await shot('notifications.png');

    await failed.click();
    const [latte] = (await posts()).filter((post) => post.caption === 'Latte art Thursday');
    await page.waitForURL(new RegExp(`/posts\\?post=${latte?.id}$`));
    await page.getByRole('article').filter({ hasText: 'Latte art Thursday' }).waitFor();
    expect(await page.getByRole('article').count()).toBe(1);
    await page.getByRole('link', { name: 'All posts' }).click();
    await page.waitForURL(/\/posts$/);
    await page.getByRole('article').filter({ hasText: 'Fresh roast this morning' }).waitFor();
  });

  it('fits a 390 px wide phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [url, heading, file] of [
      ['/compose', 'Compose', 'composer-phone.png'],
      ['/posts', 'Posts', 'posts-phone.png'],
      ['/settings/social-accounts', 'Connected accounts', 'accounts-phone.png'],
    ] as const) {
      await page.goto(`${server.baseUrl}${url}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
      await shot(file);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('showed no page errors or CSP violations', () => {
    expect(app.problems).toEqual([]);
  });
});
