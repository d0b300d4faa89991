import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';

/** What Facebook appends to its redirects; the browser keeps it through Tether's own redirect. */
export const FACEBOOK_HASH = '#_=_';

/** Removes Facebook's `#_=_` from the address (replacing the history entry) on the page it lands on. */
export function useDropFacebookHash(): void {
  const { pathname, search, hash } = useLocation();
  const navigate = useNavigate();
  useEffect(() => {
    if (hash === FACEBOOK_HASH) void navigate({ pathname, search }, { replace: true });
  }, [hash, pathname, search, navigate]);
}
