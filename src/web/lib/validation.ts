/**
 * Client-side checks that mirror the server's rules, so most mistakes are caught before a round trip.
 * The limits are repeated here rather than imported: the contracts' values come with zod, which
 * the browser bundle does not need.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(email: string): string | null {
  if (!email.trim()) return 'Enter your email address.';
  if (!EMAIL.test(email.trim())) return 'Enter a valid email address, like name@example.com.';
  return null;
}

/** At sign-in only presence is checked: the rules may have changed since the password was set. */
export function validatePasswordPresent(password: string): string | null {
  return password ? null : 'Enter your password.';
}

export function validateNewPassword(password: string): string | null {
  if (!password) return 'Choose a password.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

export function validateName(name: string, what = 'your name'): string | null {
  if (!name.trim()) return `Enter ${what}.`;
  if (name.trim().length > NAME_MAX_LENGTH) return `Use at most ${NAME_MAX_LENGTH} characters.`;
  return null;
}

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

/** Runs the checks and returns only the failing fields (empty when the form is valid). */
export function collectErrors<F extends string>(checks: Record<F, string | null>): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const field of Object.keys(checks) as F[]) {
    const message = checks[field];
    if (message) errors[field] = message;
  }
  return errors;
}
