import type { Fetch } from '../../providers/meta-graph/client.ts';
import type { Config } from '../config.ts';

/**
 * Where providers may send requests: the platform hosts this configuration names (or the
 * sandbox's), and Tether's own public URL, from which LinkedIn uploads read media. Anything else,
 * such as a host an unexpected platform answer points to, is refused before a byte is sent.
 */
export function providerOrigins(config: Config): Set<string> {
  const { facebook, instagram, linkedin } = config;
  const urls = [
    config.publicUrl,
    facebook.graphUrl,
    facebook.wwwUrl,
    instagram.graphUrl,
    instagram.apiUrl,
    instagram.wwwUrl,
    linkedin.apiUrl,
    linkedin.wwwUrl,
  ];
  return new Set(urls.map((url) => new URL(url).origin));
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
