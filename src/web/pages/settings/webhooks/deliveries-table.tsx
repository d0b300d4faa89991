import { Badge, Table, Text, Tooltip } from '@mantine/core';
import type { WebhookDelivery } from '../../../../contracts/webhooks.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { DELIVERY_STATUS_BADGES, deliveredEventLabel } from './event-labels.ts';

function LastResponse({ delivery }: { delivery: WebhookDelivery }) {
  if (delivery.lastStatusCode === null && !delivery.lastError) {
    return (
      <Text size="sm" c="dimmed">
        {delivery.attempts === 0 ? 'Not sent yet' : '—'}
      </Text>
    );
  }
  const code = delivery.lastStatusCode === null ? 'No answer' : `HTTP ${delivery.lastStatusCode}`;
  return delivery.lastError ? (
    <Tooltip label={delivery.lastError} multiline maw={320} withArrow>
      <Text size="sm" c="red.8" style={{ cursor: 'help' }} tabIndex={0}>
        {code}
      </Text>
    </Tooltip>
  ) : (
    <Text size="sm">{code}</Text>
  );
}

/** The latest deliveries to one endpoint: event, status, attempts, the last answer and when. */
export function DeliveriesTable({ deliveries, caption }: { deliveries: WebhookDelivery[]; caption: string }) {
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table verticalSpacing="xs" horizontalSpacing="sm" fz="sm">
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Event</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>Last response</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {deliveries.map((delivery) => {
            const retrying = delivery.status === 'pending' && delivery.attempts > 0;
            const badge = retrying ? { label: 'Retrying', color: 'orange' } : DELIVERY_STATUS_BADGES[delivery.status];
            return (
              <Table.Tr key={delivery.id}>
                <Table.Td>{deliveredEventLabel(delivery.eventType)}</Table.Td>
                <Table.Td>
                  <Badge color={badge.color} variant="light">
                    {badge.label}
                  </Badge>
                </Table.Td>
                <Table.Td>{delivery.attempts}</Table.Td>
                <Table.Td>
                  <LastResponse delivery={delivery} />
                </Table.Td>
                <Table.Td>
                  <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
