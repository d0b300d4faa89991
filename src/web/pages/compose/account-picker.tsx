import { Anchor, Avatar, Badge, Box, Checkbox, Group, List, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { Link } from 'react-router';
import type { ConnectedAccount } from '../../../contracts/connected-accounts.ts';
import type { ErrorDetail } from '../../api/client.ts';
import { accountName } from '../settings/connected-accounts/account-name.ts';
import { isPublishable, PLATFORM_NAMES, type ProviderIndex, platformsOf } from './platforms.ts';

export const ACCOUNTS_PATH = '/settings/social-accounts';

/**
 * How each account is connected, so the same Instagram account connected through both logins
 * reads as two different choices.
 */
const CONNECTIONS: Record<ConnectedAccount['provider'], string> = {
  instagram: 'Instagram, through Facebook Login',
  instagram_login: 'Instagram, through Instagram Login',
  facebook_page: 'Facebook Page',
  linkedin: 'LinkedIn profile',
  linkedin_org: 'LinkedIn Page',
};

interface AccountOptionProps {
  account: ConnectedAccount;
  checked: boolean;
  onChange: (checked: boolean) => void;
  problems: ErrorDetail[];
}

function AccountOption({ account, checked, onChange, problems }: AccountOptionProps) {
  const problemsId = useId();
  const name = account.displayName ?? account.username ?? 'Unnamed account';
  return (
    <div>
      <Checkbox.Card
        checked={checked}
        onChange={onChange}
        radius="md"
        p="sm"
        withBorder
        aria-describedby={problems.length > 0 ? problemsId : undefined}
        style={problems.length > 0 ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
      >
        <Group gap="sm" wrap="nowrap" align="center">
          <Checkbox.Indicator />
          <Avatar src={account.profilePictureUrl} alt="" radius="xl" size="md" name={name} color="initials" />
          <Box miw={0} style={{ flex: 1 }}>
            <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>
              {accountName(account)}
            </Text>
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              {account.username && account.displayName ? `${account.displayName} · ` : ''}
              {CONNECTIONS[account.provider]}
            </Text>
          </Box>
          {account.status === 'expiring' && (
            <Badge color="yellow" variant="light" tt="none" fw={500}>
              Expiring soon
            </Badge>
          )}
        </Group>
      </Checkbox.Card>
      {/* Always there, so screen readers hear problems as the live check finds them. */}
      <div aria-live="polite">
        {problems.length > 0 && (
          <List
            id={problemsId}
            size="sm"
            c="red.8"
            mt={6}
            spacing={2}
            aria-label={`Problems for ${accountName(account)}`}
          >
            {problems.map((problem) => (
              <List.Item key={`${problem.code}:${problem.message}`}>{problem.message}</List.Item>
            ))}
          </List>
        )}
      </div>
    </div>
  );
}

interface AccountPickerProps {
  accounts: ConnectedAccount[];
  providers: ProviderIndex;
  selected: ReadonlySet<string>;
  onToggle: (id: string, checked: boolean) => void;
  /** Each selected account's problems (the server's check of the post), by account id. */
  problems: ReadonlyMap<string, ErrorDetail[]>;
  error?: string;
}

/**
 * The accounts that can be published to, as checkbox cards grouped by platform; the others are
 * named with why they are left out.
 */
export function AccountPicker({ accounts, providers, selected, onToggle, problems, error }: AccountPickerProps) {
  const labelId = useId();
  const publishable = accounts.filter((account) => isPublishable(account, providers));
  const platforms = platformsOf(publishable, providers);
  const cannotPublish = accounts.filter((account) => !providers.get(account.provider)?.canPublish);
  const needReconnect = accounts.filter(
    (account) => providers.get(account.provider)?.canPublish && !isPublishable(account, providers),
  );
  return (
    <Stack gap="xs">
      <Text id={labelId} component="h2" fw={600} size="sm" m={0}>
        Publish to
      </Text>
      {publishable.length === 0 ? (
        <Text size="sm">
          None of your accounts can be published to right now.{' '}
          <Anchor component={Link} to={ACCOUNTS_PATH}>
            Connect or reconnect one in Settings
          </Anchor>
          .
        </Text>
      ) : (
        <Stack gap="sm" role="group" aria-labelledby={labelId}>
          {platforms.map((platform) => (
            <Stack key={platform} gap={6} role="group" aria-label={`${PLATFORM_NAMES[platform]} accounts`}>
              {platforms.length > 1 && (
                <Text size="xs" fw={600} c="dimmed" tt="uppercase" aria-hidden="true">
                  {PLATFORM_NAMES[platform]}
                </Text>
              )}
              {publishable
                .filter((account) => providers.get(account.provider)?.platform === platform)
                .map((account) => (
                  <AccountOption
                    key={account.id}
                    account={account}
                    checked={selected.has(account.id)}
                    onChange={(checked) => onToggle(account.id, checked)}
                    problems={selected.has(account.id) ? (problems.get(account.id) ?? []) : []}
                  />
                ))}
            </Stack>
          ))}
        </Stack>
      )}
      {error && (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      )}
      {needReconnect.length > 0 && (
        <Text size="sm" c="dimmed">
          {needReconnect.length === 1 ? 'Left out, as it needs' : 'Left out, as they need'} reconnecting:{' '}
          {needReconnect.map(accountName).join(', ')}.{' '}
          <Anchor component={Link} to={ACCOUNTS_PATH} size="sm">
            Reconnect in Settings
          </Anchor>
        </Text>
      )}
      {cannotPublish.length > 0 && (
        <Text size="sm" c="dimmed">
          Left out, as this version of Tether cannot publish to {cannotPublish.length === 1 ? 'it' : 'them'} yet:{' '}
          {cannotPublish.map((account) => `${accountName(account)} (${CONNECTIONS[account.provider]})`).join(', ')}.
        </Text>
      )}
    </Stack>
  );
}
