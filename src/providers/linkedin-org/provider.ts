import { createLinkedInClient } from '../linkedin/client.ts';
import { createLinkedInOAuth } from '../linkedin/oauth.ts';
import type { LinkedInConfig } from '../linkedin/provider.ts';
import { createLinkedInPublisher } from '../linkedin/publisher.ts';
import { organization, organizationAcls } from '../linkedin/schemas.ts';
import type { ConnectCandidate, ConnectProvider, ProviderContext, TargetProblem } from '../types.ts';

/** The roles that may post as an organization (reference §8.3). */
export const POSTING_ROLES: readonly string[] = [
  'ADMINISTRATOR',
  'CONTENT_ADMINISTRATOR',
  'DIRECT_SPONSORED_CONTENT_POSTER',
];
/** Roles read per page of organizationAcls. */
const ACL_PAGE_SIZE = 100;

const organizationId = (urn: string) => urn.slice('urn:li:organization:'.length);

/** One of these reads the member's organization roles (organizationAcls). */
const ROLE_SCOPES = ['r_organization_social', 'rw_organization_admin'];

/** Whether a LinkedIn scope list lets Tether list a member's organizations and post as them. */
export const grantsOrganizations = (scopes: readonly string[]) =>
  scopes.includes('w_organization_social') && ROLE_SCOPES.some((scope) => scopes.includes(scope));

/**
 * LinkedIn organizations (Pages, `urn:li:organization:{id}`) the member holds a posting role on,
 * through the vetted Community Management API. Same app, same tokens and refresh as members
 * (`../linkedin/oauth.ts`); each organization is its own account, all sharing the member's token.
 */
export function createLinkedInOrgProvider(config: LinkedInConfig, context: ProviderContext): ConnectProvider {
  const client = createLinkedInClient({
    ...config,
    fetch: context.fetch,
    now: context.now,
    timeoutMs: context.timeoutMs,
  });

  /** Every approved role of the member, page after page. */
  async function approvedRoles(token: string) {
    const roles: Array<{ id: string; role: string }> = [];
    for (let start = 0; ; start += ACL_PAGE_SIZE) {
      const { data } = await client.request({
        path: `/rest/organizationAcls?q=roleAssignee&state=APPROVED&start=${start}&count=${ACL_PAGE_SIZE}`,
        token,
        schema: organizationAcls,
      });
      for (const acl of data.elements)
        if (acl.state === 'APPROVED') roles.push({ id: organizationId(acl.organization), role: acl.role });
      const total = data.paging.total ?? start + data.elements.length;
      if (data.elements.length < ACL_PAGE_SIZE || start + ACL_PAGE_SIZE >= total) return roles;
    }
  }

  async function named(token: string, id: string) {
    const { data } = await client.request({ path: `/rest/organizations/${id}`, token, schema: organization });
    return { name: data.localizedName ?? null, vanityName: data.vanityName ?? null };
  }

  return {
    id: 'linkedin_org',
    displayName: 'LinkedIn Page',
    capabilities: { refresh: 'refresh_token' },
    requiredScopes: config.scopes,
    ...createLinkedInOAuth(config, client, context),

    /** Organizations with a posting role become candidates; the others are reported with the reason. */
    async listTargets(tokens) {
      const token = tokens.accessToken.reveal();
      const roles = await approvedRoles(token);
      const candidates: ConnectCandidate[] = [];
      const problems: TargetProblem[] = [];
      for (const id of new Set(roles.map((role) => role.id))) {
        const { name, vanityName } = await named(token, id);
        if (roles.some((role) => role.id === id && POSTING_ROLES.includes(role.role))) {
          candidates.push({
            externalId: id,
            username: vanityName,
            displayName: name,
            profilePictureUrl: null,
            parent: null,
          });
        } else {
          problems.push({ id, name: name ?? id, reason: 'insufficient_organization_role' });
        }
      }
      return { candidates, problems };
    },

    // No `revoke`, as for members: LinkedIn has no endpoint that revokes a grant.

    publisher: createLinkedInPublisher(client, {
      fetch: context.fetch,
      author: (id) => `urn:li:organization:${id}`,
    }),
  };
}
