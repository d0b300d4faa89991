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
  const shared =
    linkedin.clientId && linkedin.clientSecret
      ? { clientId: linkedin.clientId, clientSecret: linkedin.clientSecret }
      : undefined;
  const common = { version: linkedin.version, apiUrl: linkedin.apiUrl, wwwUrl: linkedin.wwwUrl };
  if (shared) providers.linkedin = createLinkedInProvider({ ...shared, ...common, scopes: linkedin.scopes }, context);
  // Organizations: their own Community Management app, or the members' app when its one scope
  // list has the organization scopes (LinkedIn cancels a member's tokens on another set).
  const organizations =
    linkedin.organizationApp ??
    (shared && grantsOrganizations(linkedin.scopes) ? { ...shared, scopes: linkedin.scopes } : undefined);
  if (organizations) providers.linkedin_org = createLinkedInOrgProvider({ ...organizations, ...common }, context);
  return providers;
}
