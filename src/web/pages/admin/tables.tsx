import { Badge, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AdminOverview } from '../../../contracts/admin.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { PROVIDER_LABELS } from '../settings/account-labels.ts';
import { formatPercent, formatWait, SOURCE_LABELS } from './labels.ts';

/** A titled panel holding a table, or a line saying there is nothing to show. */
export function Section({ title, empty, children }: { title: string; empty?: string; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title}
      </Title>
      {empty ? (
        <Paper withBorder radius="md" p="md">
          <Text size="sm" c="dimmed">
            {empty}
          </Text>
        </Paper>
      ) : (
        children
      )}
    </Stack>
  );
}

/** A section's table: bordered, scrolling sideways on narrow screens, with its header cells. */
export function SectionTable({
  head,
  minWidth = 640,
  verticalSpacing = 'sm',
  children,
}: {
  head: ReactNode;
  minWidth?: number;
  verticalSpacing?: 'xs' | 'sm';
  children: ReactNode;
}) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table verticalSpacing={verticalSpacing} horizontalSpacing="md">
          <Table.Thead>
            <Table.Tr>{head}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>{children}</Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function Codes({ codes }: { codes: Array<{ code: string; count: number }> }) {
  return (
    <Group gap={4}>
      {codes.map(({ code, count }) => (
        <Badge key={code} variant="light" color="red" tt="none">
          {code} × {count}
        </Badge>
      ))}
    </Group>
  );
}

/** Failures out of attempts by provider and where they happened, with their codes. */
export function ErrorsTable({ overview }: { overview: AdminOverview }) {
  const { errors, connect } = overview;
  return (
    <Section
      title="Errors by provider"
      empty={errors.length === 0 ? 'Nothing was attempted in this window.' : undefined}
    >
      <SectionTable
        head={
          <>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Where</Table.Th>
            <Table.Th>Failed</Table.Th>
            <Table.Th>Error rate</Table.Th>
            <Table.Th>Codes</Table.Th>
          </>
        }
      >
        {errors.map((row) => (
          <Table.Tr key={`${row.provider}/${row.source}`}>
            <Table.Td>{PROVIDER_LABELS[row.provider]}</Table.Td>
            <Table.Td>{SOURCE_LABELS[row.source]}</Table.Td>
            <Table.Td>
              {row.failed} of {row.total}
            </Table.Td>
            <Table.Td>{formatPercent(row.rate)}</Table.Td>
            <Table.Td>
              <Codes codes={row.codes} />
            </Table.Td>
          </Table.Tr>
        ))}
      </SectionTable>
      {connect.failuresByReason.length > 0 && (
        <Text size="sm" c="dimmed">
          Connection failures by reason:{' '}
          {connect.failuresByReason.map(({ code, count }) => `${code} (${count})`).join(', ')}. See{' '}
          <Code>docs/troubleshooting.md</Code> for each code.
        </Text>
      )}
    </Section>
  );
}

export function ReconnectTable({ accounts }: { accounts: AdminOverview['reconnect'] }) {
  return (
    <Section
      title="Accounts needing reconnect"
      empty={accounts.length === 0 ? 'Every connected account works.' : undefined}
    >
      <SectionTable
        head={
          <>
            <Table.Th>Account</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Reason</Table.Th>
            <Table.Th>Since</Table.Th>
          </>
        }
      >
        {accounts.map((account) => (
          <Table.Tr key={account.id}>
            <Table.Td>
              <Text size="sm" fw={500}>
                {account.name ?? account.id}
              </Text>
              <Text size="xs" c="dimmed">
                {PROVIDER_LABELS[account.provider]}
              </Text>
            </Table.Td>
            <Table.Td>{account.userEmail}</Table.Td>
            <Table.Td>{account.reason ?? '–'}</Table.Td>
            <Table.Td>
              <time dateTime={account.since} title={formatDateTime(account.since)}>
                {formatRelative(account.since)}
              </time>
            </Table.Td>
          </Table.Tr>
        ))}
      </SectionTable>
    </Section>
  );
}

export function QueueTable({ queues }: { queues: AdminOverview['queues'] }) {
  return (
    <Section title="Job queues" empty={queues.length === 0 ? 'This process has no job queue.' : undefined}>
      <SectionTable
        verticalSpacing="xs"
        head={
          <>
            <Table.Th>Queue</Table.Th>
            <Table.Th ta="right">Ready</Table.Th>
            <Table.Th ta="right">Later</Table.Th>
            <Table.Th ta="right">Running</Table.Th>
            <Table.Th ta="right">Failed</Table.Th>
            <Table.Th ta="right">Oldest ready</Table.Th>
          </>
        }
      >
        {queues.map((queue) => (
          <Table.Tr key={queue.queue}>
            <Table.Td>
              <Code>{queue.queue}</Code>
            </Table.Td>
            <Table.Td ta="right">{queue.queued}</Table.Td>
            <Table.Td ta="right">{queue.deferred}</Table.Td>
            <Table.Td ta="right">{queue.active}</Table.Td>
            <Table.Td ta="right" c={queue.failed > 0 ? 'red.8' : undefined}>
              {queue.failed}
            </Table.Td>
            <Table.Td ta="right">{queue.queued > 0 ? formatWait(queue.oldestQueuedSeconds) : '–'}</Table.Td>
          </Table.Tr>
        ))}
      </SectionTable>
    </Section>
  );
}
