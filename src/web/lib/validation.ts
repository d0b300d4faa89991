/**
 * Client-side checks that mirror the server's rules, so most mistakes are caught before a round trip.
 * The limits are repeated here rather than imported: the contracts' values come with zod, which
 * the browser bundle does not need.
 */

import { passwordProblem } from '../../contracts/password-rules.ts';

export { PASSWORD_HINT, PASSWORD_MAX_LENGTH } from '../../contracts/password-rules.ts';
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

/** The server's password rules (contracts/password-rules.ts), checked before sending. */
export function validateNewPassword(password: string, email: string): string | null {
  if (!password) return 'Choose a password.';
  return passwordProblem(password, email);
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
