/**
 * Why a connect flow ended without connecting, as `?error=<code>` on the accounts page. Each
 * code has a message and what to do about it; the web app shows both. Codes never change meaning.
 */
export const CONNECT_ERRORS = {
  CONNECT_DENIED: {
    message: 'You cancelled the connection on Facebook.',
    fix: 'Start again and choose Continue when Facebook asks.',
  },
  CONNECT_FAILED: {
    message: 'Facebook ended the login with an error.',
    fix: 'Start again; if it keeps happening, check the app setup in docs/providers.',
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
    message: 'Facebook did not accept the login result.',
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
  RECONNECT_MISMATCH: {
    message: 'The account you reconnected is not the one you chose to reconnect.',
    fix: 'Reconnect again and select the Page linked to that Instagram account.',
  },
  PROVIDER_UNAVAILABLE: {
    message: 'Facebook did not answer or asked us to slow down.',
    fix: 'Try again in a few minutes.',
  },
} as const;

export type ConnectErrorCode = keyof typeof CONNECT_ERRORS;
