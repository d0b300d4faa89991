import { Box, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { UsageLevel } from '../../../contracts/admin.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { Section } from './tables.tsx';

function Level({ level }: { level: UsageLevel }) {
  const high = level.percent >= level.thresholdPercent;
  const name = `${level.label} (${level.scope === 'app' ? `app ${level.appId}` : `account ${level.accountId}`})`;
  return (
    <Stack gap={4}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {name}
        </Text>
        <Text size="sm" fw={600} c={high ? 'red.8' : undefined}>
          {Math.round(level.percent)} %
        </Text>
      </Group>
      <Box pos="relative">
        <Progress
          value={Math.min(100, level.percent)}
          color={level.percent >= 100 ? 'red' : high ? 'orange' : 'teal'}
          size="lg"
          aria-label={`${name}: ${Math.round(level.percent)} % of the limit`}
        />
        <Box
          pos="absolute"
          top={-3}
          bottom={-3}
          left={`${level.thresholdPercent}%`}
          w={2}
          bg="gray.7"
          title={`Threshold: ${level.thresholdPercent} %`}
          aria-hidden
        />
      </Box>
      <Text size="xs" c="dimmed">
        Threshold {level.thresholdPercent} %, limit 100 %. Reported{' '}
        <time dateTime={level.updatedAt} title={formatDateTime(level.updatedAt)}>
          {formatRelative(level.updatedAt)}
        </time>
        {level.throttledUntil && (
          <Text span size="xs" c="red.8" fw={600}>
            {' '}
            · Throttled until {formatDateTime(level.throttledUntil)}
          </Text>
        )}
      </Text>
    </Stack>
  );
}

/** Usage against the platforms' rate limits, each as a bar with its threshold and 100 %. */
export function UsagePanel({ usage }: { usage: UsageLevel[] }) {
  return (
    <Section
      title="Usage against provider limits"
      empty={usage.length === 0 ? 'No usage reported by Meta yet.' : undefined}
    >
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          {usage.map((level) => (
            <Level key={`${level.provider}/${level.appId}/${level.accountId}/${level.label}`} level={level} />
          ))}
        </Stack>
      </Paper>
    </Section>
  );
}
