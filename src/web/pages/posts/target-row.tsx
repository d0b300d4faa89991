import { Anchor, Badge, Button, Group, Loader, Stack, Text } from '@mantine/core';
import type { PostTarget } from '../../../contracts/posts.ts';
import { KINDS } from '../../lib/instagram-rules.ts';
import { PROVIDER_LABELS } from '../settings/account-labels.ts';
import { accountName } from '../settings/connected-accounts/account-name.ts';
import { TARGET_STATUS_BADGES } from './post-labels.ts';

function ExternalIcon() {
  return (
    <svg
      width="12"
      height="12"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2.2"
      aria-hidden="true"
    >
      <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" strokeLinecap="round" />
    </svg>
  );
}

/** Where a published post's link leads. */
const SITES: Record<PostTarget['provider'], string> = {
  instagram: 'Instagram',
  instagram_login: 'Instagram',
  facebook_page: 'Facebook',
  linkedin: 'LinkedIn',
  linkedin_org: 'LinkedIn',
};

export function StatusBadge({ status }: { status: PostTarget['status'] }) {
  const { label, color, moving } = TARGET_STATUS_BADGES[status];
  return (
    <Badge
      color={color}
      variant="light"
      tt="none"
      fw={600}
      leftSection={moving ? <Loader size={10} color={color} aria-hidden="true" /> : undefined}
    >
      {label}
    </Badge>
  );
}

interface TargetRowProps {
  target: PostTarget;
  onRetry: (target: PostTarget) => void;
  retrying: boolean;
}

/** One account of a post: who, as what, its status, and the link, or the error and Retry. */
export function TargetRow({ target, onRetry, retrying }: TargetRowProps) {
  const name = accountName(target);
  return (
    <Stack component="li" gap={4} aria-label={`${name}: ${TARGET_STATUS_BADGES[target.status].label}`}>
      <Group gap="xs" wrap="wrap" justify="space-between">
        <Group gap="xs" wrap="wrap" miw={0}>
          <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            {PROVIDER_LABELS[target.provider]} {KINDS[target.kind].label.toLowerCase()}
          </Text>
          <StatusBadge status={target.status} />
        </Group>
        {target.status === 'published' && target.permalink && (
          <Anchor
            href={target.permalink}
            target="_blank"
            rel="noopener noreferrer"
            size="sm"
            title={`${target.permalink} (opens in a new tab)`}
          >
            <Group gap={4} component="span" wrap="nowrap">
              View on {SITES[target.provider]}
              <ExternalIcon />
            </Group>
          </Anchor>
        )}
        {target.status === 'failed' && (
          <Button
            size="compact-sm"
            variant="light"
            color="red"
            onClick={() => onRetry(target)}
            loading={retrying}
            aria-label={`Retry ${name}`}
          >
            Retry
          </Button>
        )}
      </Group>
      {target.status === 'failed' && target.error && (
        <Text size="sm" c="red.8">
          {target.error.message}
        </Text>
      )}
    </Stack>
  );
}
