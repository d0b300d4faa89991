import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Paper, SimpleGrid, Text } from '@mantine/core';
import type { AdminOverview } from '../../../contracts/admin.ts';

const hourly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const daily = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

function Trend({
  title,
  data,
  series,
}: {
  title: string;
  data: Array<Record<string, string | number>>;
  series: Array<{ name: string; label: string; color: string }>;
}) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text fw={600} mb="sm">
        {title}
      </Text>
      <BarChart
        h={220}
        data={data}
        dataKey="label"
        series={series}
        type="stacked"
        withLegend
        legendProps={{ verticalAlign: 'bottom' }}
        yAxisProps={{ allowDecimals: false }}
        aria-label={title}
      />
    </Paper>
  );
}

/** Connections and posts per hour or day: where a trend reads better than a number. */
export function TrendCharts({ overview }: { overview: AdminOverview }) {
  const format = overview.window.bucket === 'hour' ? hourly : daily;
  const per = overview.window.bucket === 'hour' ? 'hour' : 'day';
  const data = overview.series.map((point) => ({
    label: format.format(new Date(point.at)),
    published: point.published,
    publishFailed: point.publishFailed,
    connectCompleted: point.connectCompleted,
    connectOther: point.connectStarted - point.connectCompleted,
  }));
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      <Trend
        title={`Posts per ${per}`}
        data={data}
        series={[
          { name: 'published', label: 'Published', color: 'teal.6' },
          { name: 'publishFailed', label: 'Failed', color: 'red.6' },
        ]}
      />
      <Trend
        title={`Connections per ${per}`}
        data={data}
        series={[
          { name: 'connectCompleted', label: 'Completed', color: 'indigo.6' },
          { name: 'connectOther', label: 'Failed or not finished', color: 'orange.5' },
        ]}
      />
    </SimpleGrid>
  );
}
