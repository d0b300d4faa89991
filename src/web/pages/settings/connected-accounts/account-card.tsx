import { Avatar, Badge, Card, Divider, Group, Stack, Text, Title } from '@mantine/core';
import type { ConnectedAccount } from '../../../../contracts/connected-accounts.ts';
import { useConnectedAccount } from '../../../api/connected-accounts.ts';
import { PROVIDER_LABELS, STATUS_BADGES } from '../account-labels.ts';
import { AccountActions } from './account-actions.tsx';
import { AccountActivity } from './account-activity.tsx';
import { AccountTiming } from './account-timing.tsx';
import { GrantedPermissions } from './granted-permissions.tsx';
import { reasonText } from './reason-text.ts';

function AccountHeading({ account }: { account: ConnectedAccount }) {
  const name = account.displayName ?? account.username ?? 'Unnamed account';
  const { label, color } = STATUS_BADGES[account.status];
  return (
    <Group gap="md" wrap="nowrap" align="flex-start">
      <Avatar src={account.profilePictureUrl} alt="" radius="xl" size="lg" name={name} color="initials" />
      <Stack gap={4} miw={0} align="flex-start">
        <Title order={3} size="h4" style={{ overflowWrap: 'break-word', maxWidth: '100%' }}>
          {name}
        </Title>
        <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
          {account.username && <>@{account.username} · </>}
          {PROVIDER_LABELS[account.provider]}
        </Text>
        <Badge color={color} variant="light">
          {label}
        </Badge>
      </Stack>
    </Group>
  );
}

interface AccountCardProps {
  account: ConnectedAccount;
  onDisconnect: (account: ConnectedAccount) => void;
}

/** One connected account: who it is, its status and expiry, its permissions, actions and activity. */
export function AccountCard({ account, onDisconnect }: AccountCardProps) {
  const detail = useConnectedAccount(account.id);
  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      component="article"
      aria-label={account.username ?? account.displayName ?? undefined}
    >
      <Stack gap="md">
        <AccountHeading account={account} />
        {(account.parent || account.statusReason) && (
          <Stack gap={2}>
            {account.parent && <Text size="sm">Facebook Page: {account.parent.name}</Text>}
            {account.statusReason && (
              <Text size="sm" c={account.status === 'needs_reconnect' ? 'red.8' : 'dimmed'}>
                {reasonText(account.statusReason)}
              </Text>
            )}
          </Stack>
        )}
        <AccountTiming account={account} lastCheckedAt={detail.data?.lastCheckedAt} />
        <GrantedPermissions scopes={account.grantedScopes} />
        <AccountActions account={account} onDisconnect={onDisconnect} />
        <Divider />
        <AccountActivity detail={detail} />
      </Stack>
    </Card>
  );
}
