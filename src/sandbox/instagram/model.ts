/** What the Instagram sandbox knows: professional accounts, login codes, containers and published media. */

export interface InstagramAccount {
  /** The professional account id (`user_id`), used for publishing; above 2^53, always a string. */
  id: string;
  /** The app-scoped id `/me` returns as `id` on graph.instagram.com; not for publishing. */
  appScopedId: string;
  username: string;
  name: string;
  accountType: 'BUSINESS' | 'MEDIA_CREATOR';
  profilePictureUrl: string;
  followersCount: number;
  followsCount: number;
  /** `content_publishing_limit.config.quota_total` (reference §4.5: 50 or 100; default 50). */
  quotaTotal: number;
}

export interface InstagramAuthCode {
  code: string;
  appId: string;
  redirectUri: string;
  accountId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';

export interface InstagramContainer {
  id: string;
  accountId: string;
  /** The media_type given at creation (IMAGE when absent). */
  mediaType: 'IMAGE' | 'VIDEO' | 'REELS' | 'STORIES' | 'CAROUSEL';
  isCarouselItem: boolean;
  imageUrl?: string;
  videoUrl?: string;
  caption?: string;
  children: string[];
  status: ContainerStatus;
  /** For ERROR: the text of `status` and the error subcode behind it. */
  statusText?: string;
  errorSubcode?: number;
  createdAt: number;
  /** When processing finishes (video); images are ready at creation. */
  readyAt: number;
  publishedMediaId?: string;
  /** Which host created it: publishing works on the host whose token created it. */
  host: 'graph.facebook.com' | 'graph.instagram.com';
}

export interface InstagramMedia {
  id: string;
  accountId: string;
  containerId: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  mediaProductType: 'FEED' | 'REELS' | 'STORY';
  caption?: string;
  shortcode: string;
  permalink: string;
  publishedAt: number;
}

export class InstagramModel {
  accounts = new Map<string, InstagramAccount>();
  codes = new Map<string, InstagramAuthCode>();
  containers = new Map<string, InstagramContainer>();
  media = new Map<string, InstagramMedia>();

  clear(): void {
    this.accounts.clear();
    this.codes.clear();
    this.containers.clear();
    this.media.clear();
  }
}
