import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useSignUp } from '../api/session.ts';
import { PasswordField } from '../components/password-field.tsx';
import { nextPath, SIGN_IN_PATH, withNext } from '../lib/redirect.ts';
import { useFormFields } from '../lib/use-form-fields.ts';
import {
  collectErrors,
  NAME_MAX_LENGTH,
  PASSWORD_HINT,
  PASSWORD_MAX_LENGTH,
  validateEmail,
  validateName,
  validateNewPassword,
} from '../lib/validation.ts';

export function SignUpPage() {
  const [search] = useSearchParams();
  const signUp = useSignUp();
  const form = useFormFields({ name: '', email: '', password: '' });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name, email, password } = form.values;
    const valid = form.check(
      collectErrors({
        name: validateName(name),
        email: validateEmail(email),
        password: validateNewPassword(password, email),
      }),
    );
    // On success the session cookie is set and the session guard moves the user on.
    if (valid) signUp.mutate({ name: name.trim(), email: email.trim(), password });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="sign-up-title">
      <title>Create your account · Tether</title>
      <Stack gap="md">
        <div>
          <Title order={1} size="h2" id="sign-up-title">
            Create your account
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            Connect your business accounts and publish from one place.
          </Text>
        </div>
        <TextInput label="Name" autoComplete="name" required maxLength={NAME_MAX_LENGTH} {...form.field('name')} />
        <TextInput label="Email" type="email" autoComplete="email" required {...form.field('email')} />
        <PasswordField
          label="Password"
          description={PASSWORD_HINT}
          autoComplete="new-password"
          required
          maxLength={PASSWORD_MAX_LENGTH}
          {...form.field('password')}
        />
        {signUp.isError && (
          <Alert color="red" variant="light" title="Could not create your account">
            {errorMessage(signUp.error)}
          </Alert>
        )}
        <Button type="submit" fullWidth loading={signUp.isPending}>
          Sign up
        </Button>
        <Text size="sm" ta="center">
          Already have an account?{' '}
          <Anchor component={Link} to={withNext(SIGN_IN_PATH, search.get('next') && nextPath(search))}>
            Sign in
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
