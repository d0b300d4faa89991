import { Stack, Text } from '@mantine/core';
import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';
import { formatDate, formatDateTime, formatRelative, isPast } from '../../../lib/format.ts';
import { isMetaProvider } from '../account-labels.ts';

/** A relative time ("in 59 days") whose exact date shows on hover and is machine-readable. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

/** A date ("12 Mar 2026") with how far away it is on hover: for deadlines people plan around. */
function DateOf({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={`${formatDateTime(iso)} (${formatRelative(iso)})`}>
      {formatDate(iso)}
    </time>
  );
}

function ExpiryLine({ what, iso }: { what: string; iso: string | null }) {
  return (
    <Text size="sm">
      {iso === null ? (
        <>{what}: no expiry</>
      ) : (
        <>
          {what} {isPast(iso) ? 'expired' : 'expires'} <RelativeTime iso={iso} />
        </>
      )}
    </Text>
  );
}

/** A token nothing renews: the account must be connected again before it ends. */
function ReconnectLine({ iso }: { iso: string | null }) {
  if (iso === null) return <ExpiryLine what="Token" iso={iso} />;
  return (
    <Text size="sm">
      {isPast(iso) ? (
        <>
          Token expired on <DateOf iso={iso} />: reconnect to publish again
        </>
      ) : (
        <>
          Reconnect before <DateOf iso={iso} />
        </>
      )}
    </Text>
  );
}

/** A token Tether renews with the refresh token, in its last days. */
function RenewedTokenLine({ iso }: { iso: string | null }) {
  if (iso === null) return <ExpiryLine what="Token" iso={iso} />;
  return (
    <Text size="sm">
      Token expires <RelativeTime iso={iso} />; Tether renews it before then
    </Text>
  );
}

/** LinkedIn's refresh token ends on a fixed date that refreshing never moves: the member reconnects by then. */
function RefreshTokenLine({ iso }: { iso: string }) {
  return (
    <Text size="sm">
      {isPast(iso) ? (
        <>
          Refresh token expired on <DateOf iso={iso} />
        </>
      ) : (
        <>
          Refresh token valid until <DateOf iso={iso} />: reconnect before then
        </>
      )}
    </Text>
  );
}

interface AccountTimingProps {
  account: ConnectedAccount;
  /** From the account's detail; `undefined` while it loads. */
  lastCheckedAt: string | null | undefined;
}

/**
 * When the connection ends and when Tether last checked or refreshed it. Meta's connections have
 * a token and a data access expiry; LinkedIn's either renew until the refresh token ends, or,
 * without a refresh token, last until the token does.
 */
export function AccountTiming({ account, lastCheckedAt }: AccountTimingProps) {
  const refreshUntil = account.refreshTokenExpiresAt;
  const renews = refreshUntil !== null && !isPast(refreshUntil);
  return (
    <Stack gap={2}>
      {isMetaProvider(account.provider) ? (
        <>
          <ExpiryLine what="Token" iso={account.tokenExpiresAt} />
          <ExpiryLine what="Data access" iso={account.dataAccessExpiresAt} />
        </>
      ) : renews ? (
        <RenewedTokenLine iso={account.tokenExpiresAt} />
      ) : (
        <ReconnectLine iso={account.tokenExpiresAt} />
      )}
      {refreshUntil && <RefreshTokenLine iso={refreshUntil} />}
      {lastCheckedAt && (
        <Text size="sm" c="dimmed">
          Last checked <RelativeTime iso={lastCheckedAt} />
        </Text>
      )}
      {account.lastRefreshedAt && (
        <Text size="sm" c="dimmed">
          Last refreshed <RelativeTime iso={account.lastRefreshedAt} />
        </Text>
      )}
    </Stack>
  );
}
