import { describe, expect, it } from 'vitest';
import { Secret } from '../../server/vault/secret.ts';
import type { Fetch } from '../meta-graph/client.ts';
import { createLinkedInOrgProvider } from './provider.ts';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const NAMES: Record<string, string> = { '1': 'Acme', '2': 'Beta Labs', '3': 'Gamma', '4': 'Delta' };

/** organizationAcls answers `acls` in pages of `count`; organizations are looked up by id. */
function fakeLinkedIn(acls: Array<{ organization: string; role: string; state?: string }>) {
  const urls: string[] = [];
  const fetch: Fetch = async (url) => {
    urls.push(url);
    const parsed = new URL(url);
    if (parsed.pathname === '/api/rest/organizationAcls') {
      const start = Number(parsed.searchParams.get('start'));
      const count = Number(parsed.searchParams.get('count'));
      const elements = acls.slice(start, start + count).map((acl) => ({ state: 'APPROVED', ...acl }));
      return json(200, { elements, paging: { start, count, total: acls.length, links: [] } });
    }
    const id = /^\/api\/rest\/organizations\/(\d+)$/.exec(parsed.pathname)?.[1] ?? '';
    const name = NAMES[id];
    if (!name) throw new Error(`unexpected call to ${url}`);
    return json(200, { id: Number(id), localizedName: name, vanityName: name.toLowerCase().replace(' ', '-') });
  };
  return { fetch, urls };
}

const provider = (fetch: Fetch) =>
  createLinkedInOrgProvider(
    {
      clientId: 'client-1',
      clientSecret: 'shh',
      version: '202607',
      scopes: ['w_organization_social', 'r_organization_social'],
      apiUrl: 'http://li.test/api',
      wwwUrl: 'http://li.test/www',
    },
    { fetch, now: () => 0 },
  );

const tokens = { accessToken: new Secret('AQV-1'), expiresAt: null, scopes: [] };

describe('LinkedIn organization provider', () => {
  it('asks for its own scopes, refreshes like members, and posts as the organization', () => {
    const li = provider(fakeLinkedIn([]).fetch);
    expect(li).toMatchObject({
      id: 'linkedin_org',
      capabilities: { refresh: 'refresh_token' },
      requiredScopes: ['w_organization_social', 'r_organization_social'],
    });
    expect(li.refresh).toBeTypeOf('function');
    expect(li.publisher?.confirm).toBeUndefined();
    const url = new URL(li.authorizationUrl({ state: 's', redirectUri: 'http://t.test/cb' }));
    expect(url.searchParams.get('scope')).toBe('w_organization_social r_organization_social');
  });

  it('offers organizations with a posting role, named by lookup, and reports the others', async () => {
    const fake = fakeLinkedIn([
      { organization: 'urn:li:organization:1', role: 'ADMINISTRATOR' },
      { organization: 'urn:li:organization:2', role: 'ANALYST' },
      { organization: 'urn:li:organization:2', role: 'CONTENT_ADMINISTRATOR' },
      { organization: 'urn:li:organization:3', role: 'DIRECT_SPONSORED_CONTENT_POSTER' },
      { organization: 'urn:li:organization:4', role: 'ANALYST' },
    ]);
    const { candidates, problems } = await provider(fake.fetch).listTargets(tokens);
    expect(candidates).toEqual([
      { externalId: '1', username: 'acme', displayName: 'Acme', profilePictureUrl: null, parent: null },
      { externalId: '2', username: 'beta-labs', displayName: 'Beta Labs', profilePictureUrl: null, parent: null },
      { externalId: '3', username: 'gamma', displayName: 'Gamma', profilePictureUrl: null, parent: null },
    ]);
    expect(problems).toEqual([{ id: '4', name: 'Delta', reason: 'insufficient_organization_role' }]);
    const acl = new URL(fake.urls[0] ?? '');
    expect(Object.fromEntries(acl.searchParams)).toEqual({
      q: 'roleAssignee',
      state: 'APPROVED',
      start: '0',
      count: '100',
    });
  });

  it('reads every page of roles and ignores roles that are not approved', async () => {
    const many = Array.from({ length: 101 }, () => ({ organization: 'urn:li:organization:4', role: 'ANALYST' }));
    many.push({ organization: 'urn:li:organization:1', role: 'ADMINISTRATOR', state: 'REVOKED' } as never);
    many.push({ organization: 'urn:li:organization:3', role: 'ADMINISTRATOR' });
    const fake = fakeLinkedIn(many);
    const { candidates, problems } = await provider(fake.fetch).listTargets(tokens);
    expect(candidates.map((candidate) => candidate.externalId)).toEqual(['3']);
    expect(problems.map((problem) => problem.id)).toEqual(['4']);
    expect(fake.urls.filter((url) => url.includes('organizationAcls'))).toHaveLength(2);
  });
});
