import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AdminOverview } from '../../../contracts/admin.ts';
import { formatPercent, formatWait } from './labels.ts';

function Stat({ label, value, detail }: { label: string; value: ReactNode; detail: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fw={700} fz={28} lh={1.3}>
        {value}
      </Text>
      <Text size="sm" c="dimmed">
        {detail}
      </Text>
    </Paper>
  );
}

/** The headline numbers of the window. */
export function StatCards({ overview }: { overview: AdminOverview }) {
  const { connect, publishing, reconnect, queues } = overview;
  const waiting = queues.reduce((total, queue) => total + queue.queued, 0);
  const oldest = Math.max(0, ...queues.map((queue) => queue.oldestQueuedSeconds));
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
      <Stat
        label="Connection success"
        value={formatPercent(connect.successRate)}
        detail={`${connect.completed} of ${connect.started} completed, ${connect.failed} failed`}
      />
      <Stat
        label="Posting success"
        value={formatPercent(publishing.successRate)}
        detail={`${publishing.published} published, ${publishing.failed} failed`}
      />
      <Stat
        label="Need reconnecting"
        value={reconnect.length}
        detail={reconnect.length === 1 ? 'account' : 'accounts'}
      />
      <Stat
        label="Jobs waiting"
        value={waiting}
        detail={waiting > 0 ? `oldest waiting ${formatWait(oldest)}` : 'none ready to run'}
      />
    </SimpleGrid>
  );
}
