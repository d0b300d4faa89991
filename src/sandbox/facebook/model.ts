/** What the Facebook sandbox knows: people, their Pages, pending login codes and Page posts. */

export interface FacebookUser {
  /** The app-scoped user id Graph returns from /me. */
  id: string;
  name: string;
  email: string;
  /** Pages this person has a role on, with their tasks (reference §2.5). */
  pageRoles: Array<{ pageId: string; tasks: string[] }>;
}

export interface FacebookPage {
  id: string;
  name: string;
  category: string;
  pictureUrl: string;
  /** The Instagram professional account linked to this Page, if any. */
  instagramAccountId?: string;
}

/** An authorization code waiting to be exchanged (single use). */
export interface FacebookAuthCode {
  code: string;
  appId: string;
  redirectUri: string;
  userId: string;
  scopes: string[];
  declinedScopes: string[];
  /** Pages (and their Instagram accounts) the person picked in the dialog. */
  targets: string[];
  expiresAt: number;
  used: boolean;
}

export interface FacebookPagePost {
  /** `<page-id>_<post-id>` for posts; a photo or video id for unpublished media. */
  id: string;
  pageId: string;
  kind: 'feed' | 'photo' | 'video';
  message?: string;
  link?: string;
  /** Photo ids attached to a multi-photo feed post, or the source URL of a photo/video. */
  attachedMedia?: string[];
  sourceUrl?: string;
  published: boolean;
  scheduledPublishTime?: number;
  createdAt: number;
}

export class FacebookModel {
  users = new Map<string, FacebookUser>();
  pages = new Map<string, FacebookPage>();
  codes = new Map<string, FacebookAuthCode>();
  posts: FacebookPagePost[] = [];

  clear(): void {
    this.users.clear();
    this.pages.clear();
    this.codes.clear();
    this.posts = [];
  }
}
