/** What the Facebook sandbox knows: people, their Pages, pending login codes and Page posts. */

import { HOUR, MINUTE } from '../core/clock.ts';

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

/** A consent dialog shown and waiting for the person's decision (kept server-side so the form cannot be tampered with). */
export interface FacebookDialogRequest {
  id: string;
  appId: string;
  redirectUri: string;
  state?: string;
  /** Permissions asked for (a Login for Business configuration's fixed set when `configId` is set). */
  scopes: string[];
  configId?: string;
  expiresAt: number;
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
  /** The photo or video id (for a published photo `id` is the post id and this the photo id). */
  mediaId?: string;
  message?: string;
  title?: string;
  link?: string;
  /** Photo ids attached to a multi-photo feed post. */
  attachedMedia?: string[];
  /** Source URL of a photo/video, or `upload:<bytes>` for uploaded bytes. */
  sourceUrl?: string;
  published: boolean;
  /** Unix seconds. */
  scheduledPublishTime?: number;
  createdAt: number;
  /** Videos: when processing finishes (sandbox clock, ms). */
  readyAt?: number;
}

/** Switches for behaviours the reference marks uncertain, set through `/__control/facebook/settings`. */
export interface FacebookSettings {
  /**
   * Lifetime of the token a code exchange returns (uncertainty §10.5): `short` = 2 h as documented,
   * `long` = ~60 days as often observed for server-side exchanges.
   */
  codeExchangeLifetime: 'short' | 'long';
  /** How long an uploaded Page video stays `processing` before `ready` (virtual time). */
  videoProcessingMs: number;
  /** An identical message posted again to the same Page within this window is refused with code 506. */
  duplicatePostWindowMs: number;
}

export const DEFAULT_FACEBOOK_SETTINGS: FacebookSettings = {
  codeExchangeLifetime: 'short',
  videoProcessingMs: MINUTE,
  duplicatePostWindowMs: HOUR,
};

export class FacebookModel {
  users = new Map<string, FacebookUser>();
  pages = new Map<string, FacebookPage>();
  dialogs = new Map<string, FacebookDialogRequest>();
  codes = new Map<string, FacebookAuthCode>();
  posts: FacebookPagePost[] = [];
  settings: FacebookSettings = { ...DEFAULT_FACEBOOK_SETTINGS };

  clear(): void {
    this.users.clear();
    this.pages.clear();
    this.dialogs.clear();
    this.codes.clear();
    this.posts = [];
    this.settings = { ...DEFAULT_FACEBOOK_SETTINGS };
  }
}
