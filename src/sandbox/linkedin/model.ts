/** What the LinkedIn sandbox knows: members, organizations, login codes, posts and image uploads. */

export type OrganizationRole =
  | 'ADMINISTRATOR'
  | 'DIRECT_SPONSORED_CONTENT_POSTER'
  | 'CONTENT_ADMINISTRATOR'
  | 'ANALYST';

export interface LinkedInMember {
  /** OpenID `sub`; the person URN is `urn:li:person:{sub}`. */
  sub: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  picture?: string;
  locale: string;
  organizations: Array<{ organizationId: string; role: OrganizationRole }>;
}

export interface LinkedInOrganization {
  /** Numeric id; the URN is `urn:li:organization:{id}`. */
  id: string;
  name: string;
  vanityName: string;
}

export interface LinkedInAuthCode {
  code: string;
  appId: string;
  redirectUri: string;
  memberSub: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface LinkedInPost {
  /** `urn:li:share:{n}`, returned in `x-restli-id`. */
  urn: string;
  author: string;
  commentary: string;
  visibility: string;
  content?: unknown;
  lifecycleState: string;
  /** The LinkedIn-Version the post was created with. */
  version: string;
  createdAt: number;
}

export interface LinkedInImage {
  urn: string;
  owner: string;
  uploadToken: string;
  uploadUrlExpiresAt: number;
  status: 'WAITING_UPLOAD' | 'AVAILABLE';
  size?: number;
}

export class LinkedInModel {
  members = new Map<string, LinkedInMember>();
  organizations = new Map<string, LinkedInOrganization>();
  codes = new Map<string, LinkedInAuthCode>();
  posts: LinkedInPost[] = [];
  images = new Map<string, LinkedInImage>();

  clear(): void {
    this.members.clear();
    this.organizations.clear();
    this.codes.clear();
    this.posts = [];
    this.images.clear();
  }
}
