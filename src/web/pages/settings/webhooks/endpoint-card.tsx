import { Badge, Button, Card, Code, Collapse, Group, Loader, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { WebhookEndpoint } from '../../../../contracts/webhooks.ts';
import { errorMessage } from '../../../api/client.ts';
import { useSendTestEvent, useWebhookDeliveries } from '../../../api/webhooks.ts';
import { ErrorAlert } from '../../../components/page-status.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { DeliveriesTable } from './deliveries-table.tsx';
import { EVENT_LABELS, EVENT_TYPES } from './event-labels.ts';

function Deliveries({ endpoint, open }: { endpoint: WebhookEndpoint; open: boolean }) {
  const deliveries = useWebhookDeliveries(endpoint.id, open);
  if (deliveries.isPending) return <Loader size="sm" aria-label="Loading deliveries" />;
  if (deliveries.isError) {
    return (
      <ErrorAlert
        title="Could not load the deliveries"
        error={deliveries.error}
        onRetry={() => void deliveries.refetch()}
        retrying={deliveries.isFetching}
      />
    );
  }
  if (deliveries.data.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Nothing sent yet. Send a test event to try the endpoint.
      </Text>
    );
  }
  return <DeliveriesTable deliveries={deliveries.data} caption="Recent deliveries, newest first" />;
}

interface EndpointCardProps {
  endpoint: WebhookEndpoint;
  onDelete: (endpoint: WebhookEndpoint) => void;
}

/** One endpoint: its URL and events, "Send test event", its recent deliveries and "Delete". */
export function EndpointCard({ endpoint, onDelete }: EndpointCardProps) {
  const [showDeliveries, setShowDeliveries] = useState(false);
  const sendTest = useSendTestEvent();
  const deliveriesId = `webhook-deliveries-${endpoint.id}`;
  const urlId = `webhook-url-${endpoint.id}`;

  const onSendTest = () =>
    sendTest.mutate(endpoint.id, {
      onSuccess: () => {
        setShowDeliveries(true);
        notifications.show({ color: 'green', title: 'Test event queued', message: 'Watch it under Deliveries.' });
      },
      onError: (error) =>
        notifications.show({ color: 'red', title: 'Could not send a test event', message: errorMessage(error) }),
    });

  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={urlId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} miw={0} style={{ flex: '1 1 320px' }}>
            <Code id={urlId} fz="sm" style={{ overflowWrap: 'anywhere', alignSelf: 'flex-start' }}>
              {endpoint.url}
            </Code>
            <Text size="xs" c="dimmed">
              Added <time dateTime={endpoint.createdAt}>{formatDateTime(endpoint.createdAt)}</time>
              {!endpoint.enabled && ' · disabled'}
            </Text>
          </Stack>
          <Group gap="xs">
            <Button size="xs" variant="light" onClick={onSendTest} loading={sendTest.isPending}>
              Send test event
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => setShowDeliveries((shown) => !shown)}
              aria-expanded={showDeliveries}
              aria-controls={deliveriesId}
            >
              {showDeliveries ? 'Hide deliveries' : 'Deliveries'}
            </Button>
            <Button size="xs" variant="subtle" color="red" onClick={() => onDelete(endpoint)} aria-describedby={urlId}>
              Delete
            </Button>
          </Group>
        </Group>
        <Group gap={6}>
          {EVENT_TYPES.filter((type) => endpoint.events.includes(type)).map((type) => (
            <Badge key={type} variant="outline" color="gray" tt="none" fw={500}>
              {EVENT_LABELS[type].label}
            </Badge>
          ))}
        </Group>
        <Collapse expanded={showDeliveries} id={deliveriesId}>
          <Deliveries endpoint={endpoint} open={showDeliveries} />
        </Collapse>
      </Stack>
    </Card>
  );
}
