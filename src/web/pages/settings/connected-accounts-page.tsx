import { Avatar, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import { useConnectedAccounts } from '../../api/connected-accounts.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryList } from '../../components/query-list.tsx';
import { formatDate } from '../../lib/format.ts';
import { PROVIDER_LABELS, STATUS_BADGES } from './account-labels.ts';

function LinkIcon() {
  return (
    <svg
      width="28"
      height="28"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
      <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
    </svg>
  );
}

function AccountName({ account }: { account: ConnectedAccount }) {
  const name = account.displayName ?? account.username ?? 'Unnamed account';
  return (
    <Group gap="sm" wrap="nowrap">
      <Avatar src={account.profilePictureUrl} alt="" radius="xl" size="md" name={name} color="initials" />
      <div>
        <Text size="sm" fw={500}>
          {name}
        </Text>
        {account.username && account.displayName && (
          <Text size="xs" c="dimmed">
            @{account.username}
          </Text>
        )}
      </div>
    </Group>
  );
}

function StatusBadge({ account }: { account: ConnectedAccount }) {
  const { label, color } = STATUS_BADGES[account.status];
  return (
    <>
      <Badge color={color} variant="light">
        {label}
      </Badge>
      {account.statusReason && (
        <Text size="xs" c="dimmed" mt={4} maw={240}>
          {account.statusReason}
        </Text>
      )}
    </>
  );
}

function AccountsTable({ accounts }: { accounts: ConnectedAccount[] }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={560} type="native">
        <Table verticalSpacing="sm" horizontalSpacing="md">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Provider</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Token expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {accounts.map((account) => (
              <Table.Tr key={account.id}>
                <Table.Td>
                  <AccountName account={account} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{PROVIDER_LABELS[account.provider]}</Text>
                  {account.parent && (
                    <Text size="xs" c="dimmed">
                      via {account.parent.name}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge account={account} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {account.tokenExpiresAt ? (
                      <time dateTime={account.tokenExpiresAt}>{formatDate(account.tokenExpiresAt)}</time>
                    ) : (
                      'No expiry date'
                    )}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function AccountsContent() {
  return (
    <QueryList
      query={useConnectedAccounts()}
      loadingLabel="Loading connected accounts"
      errorTitle="Could not load your connected accounts"
      empty={{
        icon: <LinkIcon />,
        title: 'No accounts connected yet',
        description:
          'Connecting Instagram, Facebook Pages and LinkedIn is coming soon; the accounts you connect will appear here.',
      }}
    >
      {(accounts) => <AccountsTable accounts={accounts} />}
    </QueryList>
  );
}

export function ConnectedAccountsPage() {
  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title="Connected accounts"
        description="The business social accounts Tether can publish to on your behalf."
      />
      <AccountsContent />
    </Stack>
  );
}
