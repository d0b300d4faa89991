import { Group, Stack } from '@mantine/core';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import { useConnectedAccounts } from '../../api/connected-accounts.ts';
import { OutlineIcon } from '../../components/outline-icon.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryList } from '../../components/query-list.tsx';
import { useModalItem } from '../../lib/use-modal-item.ts';
import { AccountCard } from './connected-accounts/account-card.tsx';
import { AccountGrid, AccountGridSkeleton } from './connected-accounts/account-grid.tsx';
import { ConnectOptions } from './connected-accounts/connect-button.tsx';
import { ConnectNotice } from './connected-accounts/connect-notice.tsx';
import { DisconnectAccountModal } from './connected-accounts/disconnect-account-modal.tsx';

function LinkIcon() {
  return (
    <OutlineIcon>
      <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
    </OutlineIcon>
  );
}

interface AccountsContentProps {
  query: ReturnType<typeof useConnectedAccounts>;
  onDisconnect: (account: ConnectedAccount) => void;
}

function AccountsContent({ query, onDisconnect }: AccountsContentProps) {
  return (
    <QueryList
      query={query}
      loadingLabel="Loading connected accounts"
      errorTitle="Could not load your connected accounts"
      skeleton={<AccountGridSkeleton label="Loading connected accounts" />}
      empty={{
        icon: <LinkIcon />,
        title: 'No accounts connected yet',
        description:
          'Connect an Instagram professional account to publish to it. Facebook Pages and LinkedIn are coming soon.',
        action: <ConnectOptions align="center" />,
      }}
    >
      {(accounts) => (
        <AccountGrid>
          {accounts.map((account) => (
            <AccountCard key={account.id} account={account} onDisconnect={onDisconnect} />
          ))}
        </AccountGrid>
      )}
    </QueryList>
  );
}

export function ConnectedAccountsPage() {
  const disconnecting = useModalItem<ConnectedAccount>();
  const accounts = useConnectedAccounts();
  // With no accounts, the empty state holds the Connect button instead.
  const isEmpty = accounts.isSuccess && accounts.data.length === 0;
  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end" gap="md">
        <PageHeader
          title="Connected accounts"
          description="The business social accounts Tether can publish to on your behalf."
        />
        {!isEmpty && <ConnectOptions />}
      </Group>
      <ConnectNotice />
      <AccountsContent query={accounts} onDisconnect={disconnecting.open} />
      <DisconnectAccountModal modal={disconnecting} />
    </Stack>
  );
}
