import { Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import type { ProviderInfo } from '../../../contracts/providers.ts';
import { useConnectedAccounts } from '../../api/connected-accounts.ts';
import { OutlineIcon } from '../../components/outline-icon.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryList } from '../../components/query-list.tsx';
import { useModalItem } from '../../lib/use-modal-item.ts';
import { AccountCard } from './connected-accounts/account-card.tsx';
import { AccountGrid, AccountGridSkeleton } from './connected-accounts/account-grid.tsx';
import { ConnectNotice } from './connected-accounts/connect-notice.tsx';
import { DisconnectAccountModal } from './connected-accounts/disconnect-account-modal.tsx';
import { ProviderList } from './connected-accounts/provider-list.tsx';
import { SetupGuideModal } from './connected-accounts/setup-guide-modal.tsx';

function LinkIcon() {
  return (
    <OutlineIcon>
      <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
    </OutlineIcon>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  const titleId = useId();
  return (
    <Stack component="section" gap="sm" aria-labelledby={titleId}>
      <div>
        <Title order={2} size="h4" id={titleId}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </div>
      {children}
    </Stack>
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
        description: 'Connect one on a platform above: Tether then keeps it connected and can publish to it.',
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
  const guide = useModalItem<ProviderInfo>();
  const accounts = useConnectedAccounts();
  // Someone with accounts comes back for them, someone without comes to connect one: the list of
  // platforms goes first only once the accounts are known to be none (so it does not jump down).
  const empty = accounts.isSuccess && accounts.data.length === 0;
  const connect = (
    <Section
      title={accounts.data?.length ? 'Connect another account' : 'Connect an account'}
      description="Choose a platform; you sign in there and pick the accounts."
    >
      <ProviderList onSetupGuide={guide.open} />
    </Section>
  );
  return (
    <Stack gap="xl" maw={1100}>
      <PageHeader
        title="Connected accounts"
        description="The business social accounts Tether can publish to on your behalf."
      />
      <ConnectNotice />
      {empty && connect}
      <Section title="Your accounts">
        <AccountsContent query={accounts} onDisconnect={disconnecting.open} />
      </Section>
      {!empty && connect}
      <DisconnectAccountModal modal={disconnecting} />
      <SetupGuideModal modal={guide} />
    </Stack>
  );
}
