import { Badge, Button, Card, Code, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { useId } from 'react';
import type { Platform, ProviderInfo } from '../../../../contracts/providers.ts';
import { useProviders } from '../../../api/providers.ts';
import { ErrorAlert } from '../../../components/page-status.tsx';
import { KINDS } from '../../../lib/instagram-rules.ts';
import { CONNECT_LABELS, PROVIDER_STATE_BADGES } from '../account-labels.ts';
import { ConnectButton } from './connect-button.tsx';

const PLATFORM_MARKS: Record<Platform, { text: string; color: string }> = {
  instagram: { text: 'IG', color: 'pink' },
  facebook: { text: 'f', color: 'blue' },
  linkedin: { text: 'in', color: 'indigo' },
};

function PlatformMark({ platform }: { platform: Platform }) {
  const { text, color } = PLATFORM_MARKS[platform];
  return (
    <ThemeIcon size={36} radius="md" color={color} variant="light" aria-hidden="true" fw={700} fz="sm">
      {text}
    </ThemeIcon>
  );
}

/** "Publishes feed posts, reels, stories and carousels", or that it connects only. */
function publishesText(provider: ProviderInfo): string {
  if (!provider.canPublish) return provider.canConnect ? 'Connects accounts; publishing comes later.' : '';
  const kinds = provider.kinds.map((kind) => KINDS[kind].label.toLowerCase());
  const list = kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}` : kinds[0];
  return `Publishes ${list} posts.`;
}

interface ProviderCardProps {
  provider: ProviderInfo;
  onSetupGuide: (provider: ProviderInfo) => void;
}

function ProviderCard({ provider, onSetupGuide }: ProviderCardProps) {
  const nameId = useId();
  const badge = PROVIDER_STATE_BADGES[provider.state];
  const publishes = publishesText(provider);
  const guide = provider.setupGuideUrl !== null && provider.state !== 'configured';
  return (
    <Card component="li" withBorder radius="md" padding="md" aria-labelledby={nameId}>
      <Stack gap="sm" h="100%">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <PlatformMark platform={provider.platform} />
          <Stack gap={2} miw={0} style={{ flex: 1 }}>
            <Text id={nameId} fw={600} size="sm">
              {provider.displayName}
            </Text>
            <Text size="xs" c="dimmed">
              {provider.description}
            </Text>
          </Stack>
          <Badge color={badge.color} variant="light" style={{ flexShrink: 0 }}>
            {badge.label}
          </Badge>
        </Group>
        {publishes && <Text size="xs">{publishes}</Text>}
        {provider.state === 'not_configured' && (
          <Text size="xs" c="dimmed">
            Needs{' '}
            {provider.env.map((name, index) => (
              <span key={name}>
                {index > 0 && ' '}
                <Code>{name}</Code>
              </span>
            ))}
          </Text>
        )}
        {provider.state === 'sandboxed' && !provider.canConnect && (
          <Text size="xs" c="dimmed">
            Not available in this version of Tether yet.
          </Text>
        )}
        <Group gap="xs" mt="auto">
          {provider.canConnect && (
            <ConnectButton provider={provider.id} size="xs" aria-label={CONNECT_LABELS[provider.id]}>
              Connect
            </ConnectButton>
          )}
          {guide && (
            <Button
              size="xs"
              variant={provider.canConnect ? 'subtle' : 'default'}
              onClick={() => onSetupGuide(provider)}
              aria-label={`Setup guide for ${provider.displayName}`}
            >
              Setup guide
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** Every platform Tether knows, with whether this instance can connect to it, and how to set it up. */
export function ProviderList({ onSetupGuide }: { onSetupGuide: (provider: ProviderInfo) => void }) {
  const providers = useProviders();
  if (providers.isPending)
    return (
      <div role="status" aria-busy="true" aria-label="Loading the platforms">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {['a', 'b', 'c'].map((key) => (
            <Skeleton key={key} height={128} radius="md" />
          ))}
        </SimpleGrid>
      </div>
    );
  if (providers.isError)
    return (
      <ErrorAlert
        title="Could not load the platforms"
        error={providers.error}
        onRetry={() => void providers.refetch()}
        retrying={providers.isFetching}
      />
    );
  return (
    <SimpleGrid
      component="ul"
      cols={{ base: 1, sm: 2, lg: 3 }}
      spacing="md"
      aria-label="Platforms"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
    >
      {providers.data.map((provider) => (
        <ProviderCard key={provider.id} provider={provider} onSetupGuide={onSetupGuide} />
      ))}
    </SimpleGrid>
  );
}
