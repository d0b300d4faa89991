import { Button, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import type { AccountEvent, ConnectedAccountDetail } from '../../../../contracts/connected-accounts.ts';
import { errorMessage } from '../../../api/client.ts';
import { EVENT_LABELS } from '../account-labels.ts';
import { RelativeTime } from './account-timing.tsx';
import { reasonText } from './reason-text.ts';

const SHOWN_AT_FIRST = 3;

function EventItem({ event }: { event: AccountEvent }) {
  const { label, color } = EVENT_LABELS[event.type];
  return (
    <Group component="li" gap="xs" wrap="nowrap" align="flex-start">
      <ThemeIcon size={8} radius="xl" color={color} mt={7} aria-hidden="true">
        <span />
      </ThemeIcon>
      <div>
        <Text size="sm">
          {label} <RelativeTime iso={event.createdAt} />
        </Text>
        {event.reason && (
          <Text size="xs" c="dimmed">
            {reasonText(event.reason)}
          </Text>
        )}
      </div>
    </Group>
  );
}

/** The account's recent events, most recent first; the first few, then all on request. */
export function AccountActivity({ detail }: { detail: UseQueryResult<ConnectedAccountDetail> }) {
  const [showAll, setShowAll] = useState(false);
  const headingId = useId();
  const listId = useId();

  let content: ReactNode;
  if (detail.isPending) {
    content = (
      <Stack gap={6} role="status" aria-busy="true" aria-label="Loading activity">
        <Skeleton height={14} width="70%" />
        <Skeleton height={14} width="55%" />
      </Stack>
    );
  } else if (detail.isError) {
    content = (
      <Group gap="xs">
        <Text size="sm" c="red.8">
          Could not load the activity: {errorMessage(detail.error)}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={() => void detail.refetch()} loading={detail.isFetching}>
          Try again
        </Button>
      </Group>
    );
  } else if (detail.data.events.length === 0) {
    content = (
      <Text size="sm" c="dimmed">
        Nothing yet.
      </Text>
    );
  } else {
    const { events } = detail.data;
    const shown = showAll ? events : events.slice(0, SHOWN_AT_FIRST);
    content = (
      <>
        <Stack component="ul" id={listId} gap={6} m={0} p={0} style={{ listStyle: 'none' }} aria-labelledby={headingId}>
          {shown.map((event) => (
            <EventItem key={event.id} event={event} />
          ))}
        </Stack>
        {events.length > SHOWN_AT_FIRST && (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => setShowAll((value) => !value)}
            aria-expanded={showAll}
            aria-controls={listId}
            style={{ alignSelf: 'flex-start' }}
          >
            {showAll ? 'Show less' : `Show all ${events.length} events`}
          </Button>
        )}
      </>
    );
  }

  return (
    <Stack gap={6}>
      <Title order={4} size="h6" id={headingId}>
        Activity
      </Title>
      {content}
    </Stack>
  );
}
