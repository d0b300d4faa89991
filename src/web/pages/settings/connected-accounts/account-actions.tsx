import { Button, Group, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useId } from 'react';
import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';
import { errorMessage } from '../../../api/client.ts';
import { useRefreshAccount, useStartConnect } from '../../../api/connected-accounts.ts';
import { PROVIDER_PLATFORMS, STATUS_BADGES } from '../account-labels.ts';
import { accountName } from './account-name.ts';

interface AccountActionsProps {
  account: ConnectedAccount;
  onDisconnect: (account: ConnectedAccount) => void;
}

/** Refresh (check the connection), Reconnect (a new login for this account) and Disconnect. */
export function AccountActions({ account, onDisconnect }: AccountActionsProps) {
  const refresh = useRefreshAccount();
  const reconnect = useStartConnect();
  const refreshHintId = useId();
  const name = accountName(account);
  const refreshHint = `Check the connection with ${PROVIDER_PLATFORMS[account.provider]}`;

  const onRefresh = () =>
    refresh.mutate(account.id, {
      onSuccess: (detail) =>
        notifications.show({
          color: detail.status === 'needs_reconnect' ? 'red' : 'green',
          title: `Checked ${name}`,
          message: `Status: ${STATUS_BADGES[detail.status].label}.`,
        }),
      onError: (error) =>
        notifications.show({ color: 'red', title: `Could not check ${name}`, message: errorMessage(error) }),
    });

  const onReconnect = () =>
    reconnect.mutate(
      { provider: account.provider, reconnectAccountId: account.id },
      {
        onError: (error) =>
          notifications.show({ color: 'red', title: `Could not reconnect ${name}`, message: errorMessage(error) }),
      },
    );

  return (
    <Group gap="xs">
      <Tooltip label={refreshHint} withArrow>
        <Button
          size="xs"
          variant="default"
          onClick={onRefresh}
          loading={refresh.isPending}
          aria-describedby={refreshHintId}
        >
          Refresh
        </Button>
      </Tooltip>
      <VisuallyHidden id={refreshHintId}>{refreshHint}</VisuallyHidden>
      <Button
        size="xs"
        variant={account.status === 'needs_reconnect' ? 'filled' : 'default'}
        onClick={onReconnect}
        loading={reconnect.isStarting}
        aria-label={`Reconnect ${name}`}
      >
        Reconnect
      </Button>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={() => onDisconnect(account)}
        aria-label={`Disconnect ${name}`}
      >
        Disconnect
      </Button>
    </Group>
  );
}
