import { Button, Checkbox, Group, Paper, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import type { CreatedWebhook, WebhookEventType } from '../../../../contracts/webhooks.ts';
import { errorMessage } from '../../../api/client.ts';
import { useCreateWebhook } from '../../../api/webhooks.ts';
import { useFormFields } from '../../../lib/use-form-fields.ts';
import { EVENT_LABELS, EVENT_TYPES } from './event-labels.ts';

/** Mirrors the server's limit (see contracts/webhooks.ts); repeated so the bundle needs no zod. */
const URL_MAX_LENGTH = 2048;

function validateUrl(raw: string): string | null {
  const value = raw.trim();
  if (!value) return 'Enter the URL Tether should call.';
  if (value.length > URL_MAX_LENGTH) return `Use at most ${URL_MAX_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, like https://example.com/hooks/tether.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The URL must start with https:// or http://.';
  return null;
}

/** URL + events + "Add endpoint". The created endpoint (with its one-time secret) goes to `onCreated`. */
export function CreateWebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook) => void }) {
  const create = useCreateWebhook();
  const form = useFormFields({ url: '' });
  const [events, setEvents] = useState<WebhookEventType[]>(EVENT_TYPES);
  const [eventsError, setEventsError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const url = form.values.url.trim();
    const problem = validateUrl(url);
    const noEvents = events.length === 0 ? 'Choose at least one event.' : null;
    setEventsError(noEvents);
    if (!form.check(problem ? { url: problem } : {}) || noEvents) return;
    create.mutate(
      { url, events },
      {
        onSuccess: (created) => {
          form.reset();
          setEvents(EVENT_TYPES);
          onCreated(created);
          notifications.show({ color: 'green', title: 'Endpoint added', message: 'Copy its signing secret now.' });
        },
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Could not add the endpoint', message: errorMessage(error) }),
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="lg">
      <form onSubmit={onSubmit} noValidate aria-label="Add a webhook endpoint">
        <Stack gap="md">
          <TextInput
            label="Endpoint URL"
            description="Tether sends a POST with a JSON body here. Use https:// in production."
            placeholder="https://example.com/hooks/tether"
            required
            type="url"
            maxLength={URL_MAX_LENGTH}
            autoComplete="off"
            style={{ maxWidth: 560 }}
            {...form.field('url')}
          />
          <Checkbox.Group
            label="Events"
            description="Which events to send to this URL."
            value={events}
            onChange={(value) => {
              setEvents(value as WebhookEventType[]);
              if (value.length > 0) setEventsError(null);
            }}
            error={eventsError}
            required
          >
            <Stack gap="xs" mt="xs">
              {EVENT_TYPES.map((type) => (
                <Checkbox
                  key={type}
                  value={type}
                  label={EVENT_LABELS[type].label}
                  description={EVENT_LABELS[type].description}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending}>
              Add endpoint
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
