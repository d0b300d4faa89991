import { Button, Group, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { FormEvent } from 'react';
import type { CreatedApiToken } from '../../../../contracts/api-tokens.ts';
import { useCreateApiToken } from '../../../api/api-tokens.ts';
import { errorMessage } from '../../../api/client.ts';
import { useFormFields } from '../../../lib/use-form-fields.ts';
import { NAME_MAX_LENGTH, validateName } from '../../../lib/validation.ts';

/** Name + "Create token". The created token (with its one-time secret) goes to `onCreated`. */
export function CreateTokenForm({ onCreated }: { onCreated: (created: CreatedApiToken) => void }) {
  const create = useCreateApiToken();
  const form = useFormFields({ name: '' });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = form.values.name.trim();
    const problem = validateName(name, 'a name for the token');
    if (!form.check(problem ? { name: problem } : {})) return;
    create.mutate(
      { name },
      {
        onSuccess: (created) => {
          form.reset();
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
    <form onSubmit={onSubmit} noValidate aria-label="Create an API token">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label="Token name"
          description="Something to recognise where it is used, like “CI” or “Zapier”."
          required
          maxLength={NAME_MAX_LENGTH}
          autoComplete="off"
          style={{ flex: '1 1 260px', maxWidth: 420 }}
          {...form.field('name')}
        />
        <Button type="submit" loading={create.isPending} mt={{ base: 0, xs: 44 }}>
          Create token
        </Button>
      </Group>
    </form>
  );
}
