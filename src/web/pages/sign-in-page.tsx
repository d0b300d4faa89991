import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { useSignIn } from '../api/session.ts';
import { PasswordField } from '../components/password-field.tsx';
import { nextPath, SIGN_UP_PATH, withNext } from '../lib/redirect.ts';
import { useFormFields } from '../lib/use-form-fields.ts';
import { collectErrors, validateEmail, validatePasswordPresent } from '../lib/validation.ts';

export function SignInPage() {
  const [search] = useSearchParams();
  const signIn = useSignIn();
  const form = useFormFields({ email: '', password: '' });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { email, password } = form.values;
    const valid = form.check(
      collectErrors({ email: validateEmail(email), password: validatePasswordPresent(password) }),
    );
    // On success the session guard moves the user on (to `?next=` or the settings).
    if (valid) signIn.mutate({ email: email.trim(), password });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="sign-in-title">
      <title>Sign in · Tether</title>
      <Stack gap="md">
        <div>
          <Title order={1} size="h2" id="sign-in-title">
            Sign in
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            Welcome back. Sign in to manage your accounts and tokens.
          </Text>
        </div>
        <TextInput label="Email" type="email" autoComplete="email" required {...form.field('email')} />
        <PasswordField label="Password" autoComplete="current-password" required {...form.field('password')} />
        {signIn.isError && (
          <Alert color="red" variant="light" title="Could not sign in">
            {errorMessage(signIn.error)}
          </Alert>
        )}
        <Button type="submit" fullWidth loading={signIn.isPending}>
          Sign in
        </Button>
        <Text size="sm" ta="center">
          No account yet?{' '}
          <Anchor component={Link} to={withNext(SIGN_UP_PATH, search.get('next') && nextPath(search))}>
            Sign up
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}
