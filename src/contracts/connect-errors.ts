import type { ProviderId } from './connected-accounts.ts';

/**
 * Why a connect flow ended without connecting, as `?error=<code>&provider=<id>` on the accounts
 * page. Each code has a message and what to do about it; the web app shows both, in the words of
 * the platform the login happened on (`connectErrorText`). Codes never change meaning.
 *
 * In the texts, `{platform}` is where the person logged in, `{approve}` the button that approves
 * there and `{pick}` how they choose the same account again.
 */
export const CONNECT_ERRORS = {
  CONNECT_DENIED: {
    message: 'You cancelled the connection on {platform}.',
    fix: 'Start again and choose {approve} when {platform} asks.',
  },
  CONNECT_FAILED: {
    message: '{platform} ended the login with an error.',
    fix: "Start again; if it keeps happening, check the app setup in the platform's setup guide.",
  },
  STATE_INVALID: {
    message: 'This connection link is not valid for your session.',
    fix: 'Start the connection again from this page, in the same browser you are signed in with.',
  },
  STATE_EXPIRED: {
    message: 'The connection took longer than 10 minutes and expired.',
    fix: 'Start again and finish within 10 minutes.',
  },
  STATE_USED: {
    message: 'This connection link was already used.',
    fix: 'Start a new connection from this page.',
  },
  SIGNED_OUT: {
    message: 'You were signed out of Tether while connecting.',
    fix: 'Sign in and start the connection again.',
  },
  CODE_REJECTED: {
    message: '{platform} did not accept the login result.',
    fix: 'Start the connection again.',
  },
  MISSING_PERMISSIONS: {
    message: 'Some permissions Tether needs were not granted.',
    fix: 'Connect again and keep every permission switched on.',
  },
  NO_INSTAGRAM_ACCOUNT: {
    message: 'None of the Facebook Pages you shared has an Instagram professional account linked to it.',
    fix: 'In the Instagram app, switch to a professional account and link it to your Facebook Page (Settings → Account → Sharing to other apps, or Page settings → Linked accounts in Meta Business Suite), then connect again and select that Page.',
  },
  NO_PAGES: {
    message: 'None of the Facebook Pages you shared lets you publish to it.',
    fix: 'Connect again and select at least one Page on which your role lets you create content (full control, or partial access with content), or ask a Page admin to give you that access first.',
  },
  RECONNECT_MISMATCH: {
    message: 'The account you reconnected is not the one you chose to reconnect.',
    fix: 'Reconnect again and {pick}.',
  },
  PROVIDER_UNAVAILABLE: {
    message: '{platform} did not answer or asked us to slow down.',
    fix: 'Try again in a few minutes.',
  },
} as const;

export type ConnectErrorCode = keyof typeof CONNECT_ERRORS;

interface ConnectPlatform {
  name: string;
  approve: string;
  pick: string;
}

/** Where each provider's login happens, in the words the texts above fill in. */
export const CONNECT_PLATFORMS: Record<ProviderId, ConnectPlatform> = {
  instagram: { name: 'Facebook', approve: 'Continue', pick: 'select the Page linked to that Instagram account' },
  facebook_page: { name: 'Facebook', approve: 'Continue', pick: 'select that Page' },
  instagram_login: { name: 'Instagram', approve: 'Allow', pick: 'log in to Instagram as that account' },
  linkedin: { name: 'LinkedIn', approve: 'Allow', pick: 'sign in to LinkedIn as that member' },
  linkedin_org: { name: 'LinkedIn', approve: 'Allow', pick: 'select that LinkedIn Page' },
};

/** For a redirect without a (known) provider. */
const ANY_PLATFORM: ConnectPlatform = { name: 'the platform', approve: 'Allow', pick: 'choose that same account' };

export const isConnectErrorCode = (code: string): code is ConnectErrorCode => Object.hasOwn(CONNECT_ERRORS, code);

const fill = (text: string, platform: ConnectPlatform) => {
  const filled = text
    .replaceAll('{platform}', platform.name)
    .replaceAll('{approve}', platform.approve)
    .replaceAll('{pick}', platform.pick);
  return filled.charAt(0).toUpperCase() + filled.slice(1);
};

/** A code's message and fix, naming the platform of `provider` (the redirect's `provider` parameter). */
export function connectErrorText(code: ConnectErrorCode, provider?: string | null): { message: string; fix: string } {
  const platform =
    provider && Object.hasOwn(CONNECT_PLATFORMS, provider) ? CONNECT_PLATFORMS[provider as ProviderId] : ANY_PLATFORM;
  const { message, fix } = CONNECT_ERRORS[code];
  return { message: fill(message, platform), fix: fill(fix, platform) };
}
