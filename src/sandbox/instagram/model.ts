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
  altText?: string;
  coverUrl?: string;
  thumbOffsetMs?: number;
  shareToFeed?: boolean;
  children: string[];
  /** `upload_type=resumable`: the video arrives later through rupload. */
  resumable: boolean;
  /** Set once the video bytes are in (fetched or uploaded); a resumable container waits for it. */
  videoReceived: boolean;
  /** IN_PROGRESS, FINISHED, ERROR or PUBLISHED as stored; EXPIRED and the end of processing follow from the clock. */
  status: ContainerStatus;
  /** For ERROR: the text of `status` and the error subcode behind it. */
  statusText?: string;
  errorSubcode?: number;
  createdAt: number;
  /** When processing finishes (video); images are ready at creation; null while an upload is awaited. */
  readyAt: number | null;
  publishedMediaId?: string;
  /** The Graph host the container was created on (either host can read and publish it). */
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

/** Switches for behaviour the reference leaves open, and timings tests want to shorten. */
export interface InstagramSettings {
  /**
   * Shape of `POST api.instagram.com/oauth/access_token` (reference §3.2, §10.2): the documented
   * `{data:[…]}` wrapper, the flat object integrations see, or the two in turn (wrapped first).
   */
  tokenResponseShape: 'alternate' | 'wrapped' | 'flat';
  /** How long the media fetcher waits for `image_url` / `video_url` before -2/2207003. */
  mediaFetchTimeoutMs: number;
  /** Virtual time a video container stays IN_PROGRESS after its bytes arrive. */
  videoProcessingMs: number;
  /** Containers an account may create per rolling 24 h (reference §4.5: 400). */
  containerCapPer24h: number;
  /** Whether rupload accepts Instagram Login tokens (reference §10.3: the guide says Facebook Login only). */
  resumableWithInstagramLogin: boolean;
}

export const DEFAULT_INSTAGRAM_SETTINGS: InstagramSettings = {
  tokenResponseShape: 'alternate',
  mediaFetchTimeoutMs: 5_000,
  videoProcessingMs: 10_000,
  containerCapPer24h: 400,
  resumableWithInstagramLogin: true,
};

export class InstagramModel {
  accounts = new Map<string, InstagramAccount>();
  codes = new Map<string, InstagramAuthCode>();
  containers = new Map<string, InstagramContainer>();
  media = new Map<string, InstagramMedia>();
  settings: InstagramSettings = { ...DEFAULT_INSTAGRAM_SETTINGS };
  /** Code exchanges answered so far, to alternate the response shape. */
  tokenExchanges = 0;

  clear(): void {
    this.accounts.clear();
    this.codes.clear();
    this.containers.clear();
    this.media.clear();
    this.settings = { ...DEFAULT_INSTAGRAM_SETTINGS };
    this.tokenExchanges = 0;
  }
}
