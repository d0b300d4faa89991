import type { Fetch } from '../../providers/meta-graph/client.ts';
import type { Config } from '../config.ts';

/**
 * The platform APIs a configuration talks to, as (base URL, label) pairs: what providers may
 * reach, and how their calls are labelled in metrics. Longest first, so that the sandbox's hosts
 * (all under PUBLIC_URL/sandbox) win over PUBLIC_URL itself.
 */
export function providerApis(config: Config): Array<{ base: string; api: string }> {
  const { facebook, instagram, linkedin } = config;
  const apis = [
    { base: facebook.graphUrl, api: 'facebook_graph' },
    { base: facebook.wwwUrl, api: 'facebook_www' },
    { base: instagram.graphUrl, api: 'instagram_graph' },
    { base: instagram.apiUrl, api: 'instagram_api' },
    { base: instagram.wwwUrl, api: 'instagram_www' },
    { base: linkedin.apiUrl, api: 'linkedin_api' },
    { base: linkedin.wwwUrl, api: 'linkedin_www' },
    { base: config.publicUrl, api: 'tether' },
  ];
  return apis.sort((a, b) => b.base.length - a.base.length);
}

/**
 * Where providers may send requests: the platform hosts this configuration names (or the
 * sandbox's), and Tether's own public URL, from which LinkedIn uploads read media. Anything else,
 * such as a host an unexpected platform answer points to, is refused before a byte is sent.
 */
export function providerOrigins(config: Config): Set<string> {
  return new Set(providerApis(config).map(({ base }) => new URL(base).origin));
}

export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
}

/** A fetch that only reaches the given origins. */
export function restrictedFetch(fetch: Fetch, origins: ReadonlySet<string>): Fetch {
  return (input, init) => {
    let origin: string;
    try {
      origin = new URL(input).origin;
    } catch {
      return Promise.reject(new OutboundRefusedError('outbound request refused: not an absolute URL'));
    }
    if (!origins.has(origin))
      return Promise.reject(new OutboundRefusedError(`outbound request refused: ${origin} is not a configured host`));
    return fetch(input, init);
  };
}
