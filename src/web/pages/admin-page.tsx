import { Group, SegmentedControl, SimpleGrid, Skeleton, Stack, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { ADMIN_WINDOWS, type AdminWindow } from '../../contracts/admin.ts';
import { useAdminOverview } from '../api/admin.ts';
import { PageHeader } from '../components/page-header.tsx';
import { ErrorAlert } from '../components/page-status.tsx';
import { FailedJobs } from './admin/failed-jobs.tsx';
import { StatCards } from './admin/stat-cards.tsx';
import { ErrorsTable, QueueTable, ReconnectTable } from './admin/tables.tsx';
import { TrendCharts } from './admin/trend-charts.tsx';
import { UsagePanel } from './admin/usage-panel.tsx';

const WINDOW_LABELS: Record<AdminWindow, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };
const isWindow = (value: string): value is AdminWindow => Object.hasOwn(ADMIN_WINDOWS, value);

function OverviewSkeleton() {
  return (
    <Stack gap="md" role="status" aria-busy="true">
      <VisuallyHidden>Loading the admin overview</VisuallyHidden>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        {['a', 'b', 'c', 'd'].map((key) => (
          <Skeleton key={key} height={104} radius="md" />
        ))}
      </SimpleGrid>
      <Skeleton height={280} radius="md" />
    </Stack>
  );
}

function Overview({ window }: { window: AdminWindow }) {
  const query = useAdminOverview(window);
  if (query.isPending) return <OverviewSkeleton />;
  if (query.isError)
    return (
      <ErrorAlert
        title="Could not load the admin overview"
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  const overview = query.data;
  return (
    <Stack gap="xl">
      <StatCards overview={overview} />
      <TrendCharts overview={overview} />
      <FailedJobs jobs={overview.failedJobs} />
      <ErrorsTable overview={overview} />
      <ReconnectTable accounts={overview.reconnect} />
      <QueueTable queues={overview.queues} />
      <UsagePanel usage={overview.usage} />
    </Stack>
  );
}

/** The admin area: how connections, publishing and jobs are doing across all users. */
export function AdminPage() {
  const [window, setWindow] = useState<AdminWindow>('7d');
  return (
    <Stack gap="lg" maw={1200}>
      <Group justify="space-between" align="flex-end" gap="md">
        <PageHeader
          title="Admin"
          description="How connections, publishing and background jobs are doing for every user."
        />
        <SegmentedControl
          aria-label="Time window"
          value={window}
          onChange={(value) => isWindow(value) && setWindow(value)}
          data={Object.entries(WINDOW_LABELS).map(([value, label]) => ({ value, label }))}
        />
      </Group>
      <Overview window={window} />
    </Stack>
  );
}
