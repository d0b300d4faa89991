import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.ts';
import { OutboundRefusedError, providerOrigins, restrictedFetch } from './outbound.ts';

describe('restrictedFetch', () => {
  const origins = new Set(['https://graph.facebook.com', 'https://tether.example.com']);
  const inner = vi.fn(async () => new Response('ok'));
  const guarded = restrictedFetch(inner, origins);

  it('passes requests to the configured origins through', async () => {
    expect(await (await guarded('https://graph.facebook.com/v24.0/me')).text()).toBe('ok');
    expect(inner).toHaveBeenCalledWith('https://graph.facebook.com/v24.0/me', undefined);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://127.0.0.1:5432/',
    'https://graph.facebook.com.evil.example/',
    'http://graph.facebook.com/',
    '/relative',
  ])('refuses %s without sending it', async (url) => {
    inner.mockClear();
    await expect(guarded(url)).rejects.toBeInstanceOf(OutboundRefusedError);
    expect(inner).not.toHaveBeenCalled();
  });
});

describe('providerOrigins', () => {
  it('lists the platform hosts and the public URL of the configuration', () => {
    const { config } = loadConfig({
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tether-outbound-')),
      PUBLIC_URL: 'https://tether.example.com',
      FACEBOOK_APP_ID: '1',
      FACEBOOK_APP_SECRET: 's',
    });
    expect([...providerOrigins(config)].sort()).toEqual([
      'https://api.instagram.com',
      'https://api.linkedin.com',
      'https://graph.facebook.com',
      'https://graph.instagram.com',
      'https://tether.example.com',
      'https://www.facebook.com',
      'https://www.instagram.com',
      'https://www.linkedin.com',
    ]);
  });
});
