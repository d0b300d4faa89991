import { Stack, Text } from '@mantine/core';
import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';
import { formatDate, formatDateTime, formatRelative, isPast } from '../../../lib/format.ts';

/** A relative time ("in 59 days") whose exact date shows on hover and is machine-readable. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
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

/** LinkedIn's refresh token ends on a fixed date that refreshing never moves: the member reconnects by then. */
function RefreshTokenLine({ iso }: { iso: string }) {
  return (
    <Text size="sm">
      Refresh token {isPast(iso) ? 'expired on' : 'valid until'}{' '}
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatDate(iso)}
      </time>
    </Text>
  );
}

interface AccountTimingProps {
  account: ConnectedAccount;
  /** From the account's detail; `undefined` while it loads. */
  lastCheckedAt: string | null | undefined;
}

/** When the tokens and data access expire, and when Tether last checked or refreshed the account. */
export function AccountTiming({ account, lastCheckedAt }: AccountTimingProps) {
  return (
    <Stack gap={2}>
      <ExpiryLine what="Token" iso={account.tokenExpiresAt} />
      <ExpiryLine what="Data access" iso={account.dataAccessExpiresAt} />
      {account.refreshTokenExpiresAt && <RefreshTokenLine iso={account.refreshTokenExpiresAt} />}
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
