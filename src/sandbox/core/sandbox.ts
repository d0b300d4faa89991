import { FacebookModel } from '../facebook/model.ts';
import { InstagramModel } from '../instagram/model.ts';
import { LinkedInModel } from '../linkedin/model.ts';
import { AppRegistry, DEFAULT_APPS } from './apps.ts';
import { SandboxClock } from './clock.ts';
import { FaultQueue } from './faults.ts';
import type { GraphObjectReader } from './graph.ts';
import { type SandboxHostName, sandboxUrls } from './hosts.ts';
import { RequestLog } from './request-log.ts';
import { TokenStore } from './tokens.ts';
import { UsageCounters } from './usage.ts';

/** All sandbox state, in memory. One instance per sandbox server. */
export class Sandbox {
  readonly clock = new SandboxClock();
  readonly faults = new FaultQueue();
  readonly log = new RequestLog();
  readonly tokens = new TokenStore(this.clock);
  readonly usage = new UsageCounters(this.clock);
  apps = new AppRegistry(DEFAULT_APPS);
  readonly facebook = new FacebookModel();
  readonly instagram = new InstagramModel();
  readonly linkedin = new LinkedInModel();
  /**
   * Readers for `GET /{object-id}` on the Graph hosts (a Page, an Instagram container or media,
   * a video...). Each family registers its own; the first that knows the id answers.
   */
  readonly graphReaders: GraphObjectReader[] = [];
  /** Where the sandbox is reachable (e.g. http://localhost:3000/sandbox); used in URLs it hands out. */
  baseUrl = '';
  urls: Record<SandboxHostName, string> = sandboxUrls('');

  constructor(baseUrl: string) {
    this.setBaseUrl(baseUrl);
  }

  /** For a server that learns its address only once it listens (port 0). */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.urls = sandboxUrls(this.baseUrl);
  }

  /** Forgets everything: apps back to defaults, no people, tokens, posts, faults or log. */
  clear(): void {
    this.clock.reset();
    this.faults.clear();
    this.log.clear();
    this.tokens.clear();
    this.usage.clear();
    this.apps = new AppRegistry(DEFAULT_APPS);
    this.facebook.clear();
    this.instagram.clear();
    this.linkedin.clear();
  }
}
