import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { useMe } from '../api/session.ts';
import { FullPageError, FullPageLoader } from '../components/page-status.tsx';
import { HOME_PATH, nextPath, SIGN_IN_PATH, withNext } from '../lib/redirect.ts';

/** Shown while `/api/me` is unanswered or failing: nothing else can be decided yet. */
function SessionPending({ me }: { me: ReturnType<typeof useMe> }) {
  if (me.isError) {
    return (
      <FullPageError
        title="Could not check your session"
        error={me.error}
        onRetry={() => void me.refetch()}
        retrying={me.isFetching}
      />
    );
  }
  return <FullPageLoader label="Checking your session" />;
}

/** Renders the nested routes for signed-in users; sends everyone else to sign in, then back here. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.data === undefined) return <SessionPending me={me} />;
  if (me.data === null) {
    const here = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={withNext(SIGN_IN_PATH, here)} replace />;
  }
  return <Outlet />;
}

/** Renders the sign-in/sign-up pages for signed-out users; signed-in users go where they meant to. */
export function GuestOnly() {
  const me = useMe();
  const [search] = useSearchParams();
  if (me.data === undefined) return <SessionPending me={me} />;
  if (me.data) return <Navigate to={nextPath(search)} replace />;
  return <Outlet />;
}

/** `/`: the settings when signed in, the sign-in page otherwise. */
export function HomeRedirect() {
  const me = useMe();
  if (me.data === undefined) return <SessionPending me={me} />;
  return <Navigate to={me.data ? HOME_PATH : SIGN_IN_PATH} replace />;
}
