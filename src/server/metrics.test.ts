import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { countedFetch, endpointLabel, Metrics } from './metrics.ts';
import { providerApis } from './services/outbound.ts';

const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: '/tmp/tether-metrics-unit',
  PUBLIC_URL: 'https://tether.example.com',
  SANDBOX: 'false',
  FACEBOOK_APP_ID: '1',
  FACEBOOK_APP_SECRET: 's',
  LINKEDIN_CLIENT_ID: 'c',
  LINKEDIN_CLIENT_SECRET: 's',
}).config;
const apis = providerApis(config);

describe('endpointLabel', () => {
  it.each([
    ['https://graph.facebook.com/v25.0/me/accounts?access_token=x', 'facebook_graph', '/me/accounts'],
    ['https://graph.facebook.com/v25.0/17841400000000001/media_publish', 'facebook_graph', '/:id/media_publish'],
    ['https://graph.facebook.com/v25.0/17841400000000001', 'facebook_graph', '/:id'],
    ['https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A7', 'linkedin_api', '/rest/posts/:id'],
    ['https://api.linkedin.com/v2/userinfo', 'linkedin_api', '/userinfo'],
    ['https://www.linkedin.com/oauth/v2/accessToken', 'linkedin_www', '/oauth/accessToken'],
    ['https://tether.example.com/media-files/abc123/photo.jpg', 'tether', '/media-files/:id/:id'],
    ['https://elsewhere.example/x', 'other', '/'],
    ['not a url', 'other', 'invalid'],
  ])('%s is %s %s', (url, api, endpoint) => {
    expect(endpointLabel(apis, url)).toEqual({ api, endpoint });
  });

  it('tells the sandbox hosts apart under PUBLIC_URL/sandbox', () => {
    const sandboxed = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: '/tmp/tether-metrics-unit',
      PUBLIC_URL: 'http://localhost:3000',
      SANDBOX: 'true',
    }).config;
    const url = `${sandboxed.facebook.graphUrl}/v25.0/123/media`;
    expect(endpointLabel(providerApis(sandboxed), url)).toEqual({ api: 'facebook_graph', endpoint: '/:id/media' });
  });
});

describe('countedFetch', () => {
  it('counts answers by status, failures as "error", and LinkedIn 429s on their own', async () => {
    const metrics = new Metrics();
    const statuses = [200, 429, 429];
    const counted = countedFetch(
      async (url) => {
        if (url.includes('fail')) throw new TypeError('fetch failed');
        return new Response(null, { status: statuses.shift() });
      },
      metrics,
      apis,
    );
    await counted('https://api.linkedin.com/rest/posts');
    await counted('https://api.linkedin.com/rest/posts');
    await counted('https://graph.facebook.com/v25.0/me');
    await expect(counted('https://graph.facebook.com/v25.0/fail')).rejects.toThrow('fetch failed');

    const calls = await metrics.providerCalls.get();
    const value = (labels: { api: string; endpoint: string; status: string }) =>
      calls.values.find(
        (item) =>
          item.labels.api === labels.api &&
          item.labels.endpoint === labels.endpoint &&
          item.labels.status === labels.status,
      )?.value;
    expect(value({ api: 'linkedin_api', endpoint: '/rest/posts', status: '200' })).toBe(1);
    expect(value({ api: 'linkedin_api', endpoint: '/rest/posts', status: '429' })).toBe(1);
    expect(value({ api: 'facebook_graph', endpoint: '/me', status: '429' })).toBe(1);
    expect(value({ api: 'facebook_graph', endpoint: '/fail', status: 'error' })).toBe(1);
    const limited = await metrics.linkedinRateLimited.get();
    expect(limited.values).toEqual([{ labels: { endpoint: '/rest/posts' }, value: 1 }]);
  });
});

describe('Metrics.recordUsage', () => {
  it('keeps the latest app usage and the highest business use-case usage per type', async () => {
    const metrics = new Metrics();
    metrics.recordUsage({
      app: { callCount: 12, totalTime: 3, totalCputime: 4 },
      business: {
        '1': [{ type: 'pages', callCount: 40, totalTime: 1, totalCputime: 2, regainAccessMinutes: 0 }],
        '2': [{ type: 'pages', callCount: 70, totalTime: 5, totalCputime: 1, regainAccessMinutes: 0 }],
      },
    });
    metrics.recordUsage({ app: { callCount: 20, totalTime: 3, totalCputime: 4 }, business: {} });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tether_meta_app_usage_percent{measure="call_count"} 20');
    expect(text).toContain('tether_meta_business_use_case_usage_percent{type="pages",measure="call_count"} 70');
    expect(text).toContain('tether_meta_business_use_case_usage_percent{type="pages",measure="total_time"} 5');
  });
});
