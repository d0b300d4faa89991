/** Where signed-in users land by default. */
export const HOME_PATH = '/settings/social-accounts';
export const SIGN_IN_PATH = '/sign-in';
export const SIGN_UP_PATH = '/sign-up';

const NEXT_PARAM = 'next';

/**
 * The in-app path to return to after signing in, taken from `?next=`. Only same-site paths are
 * accepted (no `//host` or `/\host`), so the parameter cannot send people to another site.
 */
export function nextPath(search: URLSearchParams): string {
  const next = search.get(NEXT_PARAM);
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return HOME_PATH;
  return next;
}

/** `/sign-in?next=<path>` (or `/sign-up...`), keeping where the user wanted to go. */
export function withNext(page: string, next: string | null): string {
  if (!next || next === HOME_PATH) return page;
  return `${page}?${new URLSearchParams({ [NEXT_PARAM]: next })}`;
}
