import { Button, Group, Paper, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { API_SCOPES, type ApiScope } from '../../../../contracts/api-scopes.ts';
import type { CreatedApiToken } from '../../../../contracts/api-tokens.ts';
import { useCreateApiToken } from '../../../api/api-tokens.ts';
import { errorMessage } from '../../../api/client.ts';
import { useFormFields } from '../../../lib/use-form-fields.ts';
import { NAME_MAX_LENGTH, validateName } from '../../../lib/validation.ts';
import { ScopePicker } from './scope-picker.tsx';

/** Name, permissions + "Create token". The created token (with its one-time secret) goes to `onCreated`. */
export function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const create = useCreateApiToken();
  const form = useFormFields({ name: '' });
  const [scopes, setScopes] = useState<ApiScope[]>([...API_SCOPES]);
  const [scopesError, setScopesError] = useState<string>();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = form.values.name.trim();
    const problem = validateName(name, 'a name for the token');
    if (!form.check(problem ? { name: problem } : {})) return;
    if (scopes.length === 0) {
      setScopesError('Choose at least one permission.');
      return;
    }
    create.mutate(
      { name, scopes },
      {
        onSuccess: (created) => {
          form.reset();
          setScopes([...API_SCOPES]);
          onCreated(created);
          notifications.show({
            color: 'green',
            title: 'Token created',
            message: `“${created.token.name}” is ready to use.`,
          });
        },
        onError: (error) =>
          notifications.show({ color: 'red', title: 'Could not create the token', message: errorMessage(error) }),
      },
    );
  };

  return (
    <Paper
      withBorder
      radius="md"
      p="lg"
      component="form"
      onSubmit={onSubmit}
      noValidate
      aria-label="Create an API token"
    >
      <Stack gap="md">
        <TextInput
          label="Token name"
          description="Something to recognise where it is used, like “CI” or “Zapier”."
          required
          maxLength={NAME_MAX_LENGTH}
          autoComplete="off"
          maw={420}
          {...form.field('name')}
        />
        <ScopePicker
          value={scopes}
          onChange={(picked) => {
            setScopes(picked);
            setScopesError(undefined);
          }}
          error={scopesError}
        />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
