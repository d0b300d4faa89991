import type { Sandbox } from './core/sandbox.ts';

/** Page tasks of a person who manages a Page fully (reference §2.5). */
export const FULL_PAGE_TASKS = ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'];

/** Ids of the default workspace, for tests and docs. */
export const DEFAULT_WORKSPACE = {
  facebookUserId: '10200000000000001',
  brandPageId: '110000000000001',
  eventsPageId: '110000000000002',
  brandInstagramId: '17841400000000001',
  creatorInstagramId: '17841400000000002',
  linkedinMemberSub: 'sR4mRvEr1a',
  linkedinOrganizationId: '90000001',
} as const;

/**
 * A believable starting workspace, so a new user can click through connect → publish at once:
 * a person with a brand Page that has an Instagram account and a second Page without one, a
 * creator account reachable through Instagram Login only, and a LinkedIn member who administers
 * an organization.
 */
export function seedDefaultWorkspace(sandbox: Sandbox): void {
  const ids = DEFAULT_WORKSPACE;
  const picture = (name: string) => `${sandbox.urls.media}/avatars/${name}.jpg`;
  sandbox.instagram.accounts.set(ids.brandInstagramId, {
    id: ids.brandInstagramId,
    appScopedId: '2590000000000001',
    username: 'northwind.coffee',
    name: 'Northwind Coffee',
    accountType: 'BUSINESS',
    profilePictureUrl: picture('northwind-coffee'),
    followersCount: 12840,
    followsCount: 311,
    quotaTotal: 50,
  });
  sandbox.instagram.accounts.set(ids.creatorInstagramId, {
    id: ids.creatorInstagramId,
    appScopedId: '2590000000000002',
    username: 'sam.makes.things',
    name: 'Sam Rivera',
    accountType: 'MEDIA_CREATOR',
    profilePictureUrl: picture('sam-rivera'),
    followersCount: 2210,
    followsCount: 540,
    quotaTotal: 50,
  });
  sandbox.facebook.pages.set(ids.brandPageId, {
    id: ids.brandPageId,
    name: 'Northwind Coffee',
    category: 'Coffee Shop',
    pictureUrl: picture('northwind-coffee'),
    instagramAccountId: ids.brandInstagramId,
  });
  sandbox.facebook.pages.set(ids.eventsPageId, {
    id: ids.eventsPageId,
    name: 'Northwind Events',
    category: 'Community',
    pictureUrl: picture('northwind-events'),
  });
  sandbox.facebook.users.set(ids.facebookUserId, {
    id: ids.facebookUserId,
    name: 'Sam Rivera',
    email: 'sam@northwind.example',
    pageRoles: [
      { pageId: ids.brandPageId, tasks: FULL_PAGE_TASKS },
      { pageId: ids.eventsPageId, tasks: FULL_PAGE_TASKS },
    ],
  });
  sandbox.linkedin.organizations.set(ids.linkedinOrganizationId, {
    id: ids.linkedinOrganizationId,
    name: 'Northwind Coffee Co.',
    vanityName: 'northwind-coffee',
  });
  sandbox.linkedin.members.set(ids.linkedinMemberSub, {
    sub: ids.linkedinMemberSub,
    name: 'Sam Rivera',
    givenName: 'Sam',
    familyName: 'Rivera',
    email: 'sam@northwind.example',
    picture: picture('sam-rivera'),
    locale: 'en-US',
    organizations: [{ organizationId: ids.linkedinOrganizationId, role: 'ADMINISTRATOR' }],
  });
}
