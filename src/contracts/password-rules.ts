/**
 * What a new password must be, shared by the server (sign-up, password changes) and the sign-up
 * form. Plain values with no zod, so the web app can use them.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * A short list of the passwords people pick most often among those long enough to pass the
 * length rule. It is meant to stop the obvious, not to be exhaustive.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '1234567890',
  '0123456789',
  '0987654321',
  '12345678910',
  '123456789a',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty123456',
  'asdfghjkl1',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'administrator',
  'abcdefghij',
  'abc1234567',
  'football123',
]);

/** Why a password may not be chosen, as a sentence for the person; null when it is fine. */
export function passwordProblem(password: string, email = ''): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Too short: use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Too long: use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (new Set(lower).size === 1) return 'Use more than one repeated character.';
  const address = email.trim().toLowerCase();
  const localPart = address.split('@')[0] ?? '';
  if (address && (lower === address || lower === localPart)) return 'Do not use your email address as your password.';
  if (COMMON_PASSWORDS.has(lower)) return 'This password is too common; choose another.';
  return null;
}

/** The rules in a few words, for the sign-up form's hint. */
export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters; not your email, one repeated character or a common password.`;
