/** What the LinkedIn sandbox knows: members, organizations, login codes, grants, posts and image uploads. */

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

/** An authorization request waiting for the member's decision on the consent page. */
export interface LinkedInPendingAuthorization {
  id: string;
  appId: string;
  redirectUri: string;
  state?: string;
  scopes: string[];
  memberSub: string;
  expiresAt: number;
}

export interface LinkedInAuthCode {
  code: string;
  appId: string;
  redirectUri: string;
  memberSub: string;
  scopes: string[];
  /** When the member approved (introspection's `authorized_at`). */
  authorizedAt: number;
  expiresAt: number;
  used: boolean;
}

export interface LinkedInPost {
  /** `urn:li:share:{n}`, returned in `x-restli-id`. */
  urn: string;
  author: string;
  /** Exactly as the client sent it (little text, with its escapes). */
  commentary: string;
  /** What LinkedIn would show: escapes removed, cut at the first unescaped reserved character. */
  renderedCommentary: string;
  /** Whether an unescaped reserved character cut the rendered text short. */
  truncated: boolean;
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

/** Switches for behaviours the reference leaves open (see docs/sandbox/linkedin.md). */
export interface LinkedInSettings {
  /** Skip the consent page when the member already approved exactly these scopes for the app. */
  skipConsentWhenGranted: boolean;
  /** `userinfo.locale` as a string (`en-US`, documented) or an object (`{country, language}`, observed). */
  localeShape: 'string' | 'object';
  /** The member "signed in" to the consent page; the first seeded member when unset. */
  signedInMemberSub?: string;
  /** Same author + same commentary inside this window is refused as a duplicate. */
  duplicateWindowMs: number;
  /** Calls per app per UTC day (the per-member limit is the core `linkedinCallsPerDay`). */
  appCallsPerDay: number;
}

export const DEFAULT_LINKEDIN_SETTINGS: LinkedInSettings = {
  skipConsentWhenGranted: false,
  localeShape: 'string',
  duplicateWindowMs: 10 * 60 * 1000,
  appCallsPerDay: 100_000,
};

export class LinkedInModel {
  members = new Map<string, LinkedInMember>();
  organizations = new Map<string, LinkedInOrganization>();
  pendingAuthorizations = new Map<string, LinkedInPendingAuthorization>();
  codes = new Map<string, LinkedInAuthCode>();
  /** Scopes each member last approved for each app, keyed `{appId} {sub}`. */
  grants = new Map<string, string[]>();
  /** `authorized_at` of every token issued, for introspection. */
  authorizedAt = new Map<string, number>();
  posts: LinkedInPost[] = [];
  images = new Map<string, LinkedInImage>();
  settings: LinkedInSettings = { ...DEFAULT_LINKEDIN_SETTINGS };
  #nextShare = 7_400_000_000_000_000_001n;

  /** Share ids look like LinkedIn's 19-digit activity ids. */
  nextShareUrn(): string {
    const urn = `urn:li:share:${this.#nextShare}`;
    this.#nextShare += 1n;
    return urn;
  }

  clear(): void {
    this.members.clear();
    this.organizations.clear();
    this.pendingAuthorizations.clear();
    this.codes.clear();
    this.grants.clear();
    this.authorizedAt.clear();
    this.posts = [];
    this.images.clear();
    this.settings = { ...DEFAULT_LINKEDIN_SETTINGS };
    this.#nextShare = 7_400_000_000_000_000_001n;
  }
}
