import type { Config } from '../server/config.ts';
import { createFacebookPageProvider } from './facebook-page/provider.ts';
import { createInstagramProvider } from './instagram/provider.ts';
import { createInstagramLoginProvider } from './instagram-login/provider.ts';
import { createLinkedInProvider } from './linkedin/provider.ts';
import { createLinkedInOrgProvider, grantsOrganizations } from './linkedin-org/provider.ts';
import type { ConnectProvider, ProviderContext, ProviderId } from './types.ts';

/**
 * The providers this configuration can use, listed by hand. A provider whose credentials are
 * missing is left out (sandbox mode always has the sandbox's credentials).
 */
export function createProviders(
  config: Config,
  context: ProviderContext,
): Partial<Record<ProviderId, ConnectProvider>> {
  const providers: Partial<Record<ProviderId, ConnectProvider>> = {};
  const { facebook } = config;
  if (facebook.appId && facebook.appSecret) {
    providers.instagram = createInstagramProvider(
      {
        appId: facebook.appId,
        appSecret: facebook.appSecret,
        configId: facebook.configId,
        graphVersion: facebook.graphVersion,
        graphUrl: facebook.graphUrl,
        wwwUrl: facebook.wwwUrl,
      },
      context,
    );
    // Pages sign in through the same Meta app, with their own scope list (never FACEBOOK_CONFIG_ID).
    providers.facebook_page = createFacebookPageProvider(
      {
        appId: facebook.appId,
        appSecret: facebook.appSecret,
        graphVersion: facebook.graphVersion,
        graphUrl: facebook.graphUrl,
        wwwUrl: facebook.wwwUrl,
      },
      context,
    );
  }
  const { instagram } = config;
  if (instagram.appId && instagram.appSecret) {
    providers.instagram_login = createInstagramLoginProvider(
      {
        appId: instagram.appId,
        appSecret: instagram.appSecret,
        graphVersion: facebook.graphVersion,
        graphUrl: instagram.graphUrl,
        apiUrl: instagram.apiUrl,
        wwwUrl: instagram.wwwUrl,
      },
      context,
    );
  }
  const { linkedin } = config;
  if (linkedin.clientId && linkedin.clientSecret) {
    providers.linkedin = createLinkedInProvider(
      {
        clientId: linkedin.clientId,
        clientSecret: linkedin.clientSecret,
        version: linkedin.version,
        scopes: linkedin.scopes,
        apiUrl: linkedin.apiUrl,
        wwwUrl: linkedin.wwwUrl,
      },
      context,
    );
    // Organizations need the Community Management scopes in the shared LinkedIn scope list.
    if (grantsOrganizations(linkedin.scopes))
      providers.linkedin_org = createLinkedInOrgProvider(
        {
          clientId: linkedin.clientId,
          clientSecret: linkedin.clientSecret,
          version: linkedin.version,
          scopes: linkedin.scopes,
          apiUrl: linkedin.apiUrl,
          wwwUrl: linkedin.wwwUrl,
        },
        context,
      );
  }
  return providers;
}
