import { Anchor, Code, Stack } from '@mantine/core';
import type { CreatedWebhook, WebhookEndpoint } from '../../../contracts/webhooks.ts';
import { useWebhooks } from '../../api/webhooks.ts';
import { OutlineIcon } from '../../components/outline-icon.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { QueryList } from '../../components/query-list.tsx';
import { useModalItem } from '../../lib/use-modal-item.ts';
import { CreateWebhookForm } from './webhooks/create-webhook-form.tsx';
import { DeleteWebhookModal } from './webhooks/delete-webhook-modal.tsx';
import { EndpointCard } from './webhooks/endpoint-card.tsx';
import { NewWebhookModal } from './webhooks/new-webhook-modal.tsx';

function HookIcon() {
  return (
    <OutlineIcon>
      <path d="M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2" />
      <path d="m6 17 3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06" />
      <path d="m12 6 3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8" />
    </OutlineIcon>
  );
}

function EndpointsContent({ onDelete }: { onDelete: (endpoint: WebhookEndpoint) => void }) {
  return (
    <QueryList
      query={useWebhooks()}
      loadingLabel="Loading webhook endpoints"
      errorTitle="Could not load your webhook endpoints"
      empty={{
        icon: <HookIcon />,
        title: 'No endpoints yet',
        description: 'Add a URL above and Tether will call it when a connected account needs attention.',
      }}
    >
      {(endpoints) => (
        <Stack gap="md">
          {endpoints.map((endpoint) => (
            <EndpointCard key={endpoint.id} endpoint={endpoint} onDelete={onDelete} />
          ))}
        </Stack>
      )}
    </QueryList>
  );
}

export function WebhooksPage() {
  const created = useModalItem<CreatedWebhook>();
  const deleting = useModalItem<WebhookEndpoint>();

  return (
    <Stack gap="lg" maw={960}>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Tether POSTs a signed JSON message to your URLs when a connected account expires soon, needs reconnecting or
            works again, and retries for about a day until your server answers with a 2xx. Check each request's{' '}
            <Code>Tether-Signature</Code> header with the endpoint's secret, as <Code>docs/webhooks.md</Code> shows;
            endpoints can also be managed through the{' '}
            <Anchor href="/docs" inherit>
              HTTP API
            </Anchor>
            .
          </>
        }
      />
      <CreateWebhookForm onCreated={created.open} />
      <EndpointsContent onDelete={deleting.open} />
      <NewWebhookModal modal={created} />
      <DeleteWebhookModal modal={deleting} />
    </Stack>
  );
}
