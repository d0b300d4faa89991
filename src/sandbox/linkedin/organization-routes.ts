import type { FastifyInstance } from 'fastify';
import type { Sandbox } from '../core/sandbox.ts';
import { restErrors } from './rest-errors.ts';
import { restCaller } from './rest-guard.ts';

const ROLES = ['ADMINISTRATOR', 'DIRECT_SPONSORED_CONTENT_POSTER', 'CONTENT_ADMINISTRATOR', 'ANALYST'];
const STATES = ['APPROVED', 'REQUESTED', 'REJECTED', 'REVOKED'];
/** Scopes that may list the member's organization roles and look organizations up (the reference leaves this open; see the docs). */
const ACL_SCOPES = ['rw_organization_admin', 'r_organization_social'];

const integer = (value: unknown, fallback: number) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;

/** `GET /rest/organizationAcls?q=roleAssignee` (reference §8.3) and the organization lookup. */
export async function organizationRoutes(app: FastifyInstance, { sandbox }: { sandbox: Sandbox }) {
  app.get('/rest/organizationAcls', { config: { endpoint: 'li.rest.organization_acls' } }, async (request) => {
    const { token, member } = restCaller(sandbox, request, { versioned: true });
    const query = request.query as Record<string, unknown>;
    if (query.q !== 'roleAssignee') throw restErrors.illegalArgument('Only the finder q=roleAssignee is supported');
    if (!token.scopes.some((scope) => ACL_SCOPES.includes(scope))) {
      throw restErrors.accessDenied('GET /rest/organizationAcls');
    }
    const role = query.role;
    const state = query.state;
    if (role !== undefined && (typeof role !== 'string' || !ROLES.includes(role))) {
      throw restErrors.illegalArgument(`Invalid value for role: ${String(role)}`);
    }
    if (state !== undefined && (typeof state !== 'string' || !STATES.includes(state))) {
      throw restErrors.illegalArgument(`Invalid value for state: ${String(state)}`);
    }
    // Seeded roles are all approved.
    const all = member.organizations
      .filter((acl) => sandbox.linkedin.organizations.has(acl.organizationId))
      .filter((acl) => (role === undefined || acl.role === role) && (state === undefined || state === 'APPROVED'))
      .map((acl) => ({
        organization: `urn:li:organization:${acl.organizationId}`,
        role: acl.role,
        state: 'APPROVED',
        roleAssignee: `urn:li:person:${member.sub}`,
      }));
    const start = integer(query.start, 0);
    const count = integer(query.count, 10);
    return { elements: all.slice(start, start + count), paging: { count, start, total: all.length, links: [] } };
  });

  /** `GET /rest/organizations/{id}`: an organization's names, as the ACLs give only its URN. */
  app.get('/rest/organizations/:id', { config: { endpoint: 'li.rest.organizations.get' } }, async (request) => {
    const { token } = restCaller(sandbox, request, { versioned: true });
    const { id } = request.params as { id: string };
    if (!token.scopes.some((scope) => ACL_SCOPES.includes(scope))) {
      throw restErrors.accessDenied(`GET /rest/organizations/${id}`);
    }
    const organization = /^\d+$/.test(id) ? sandbox.linkedin.organizations.get(id) : undefined;
    if (!organization) throw restErrors.notFound();
    return {
      id: Number(organization.id),
      localizedName: organization.name,
      vanityName: organization.vanityName,
      name: { localized: { en_US: organization.name }, preferredLocale: { country: 'US', language: 'en' } },
    };
  });
}
