import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, passwordProblem } from './password-rules.ts';

describe('passwordProblem', () => {
  it('accepts a long enough password that is none of the refused kinds', () => {
    expect(passwordProblem('correct horse battery', 'me@example.com')).toBeNull();
    expect(passwordProblem('aaaaaaaaab', 'me@example.com')).toBeNull();
  });

  it('refuses short, overlong, single-character, email-like and common passwords', () => {
    expect(passwordProblem('123456789')).toMatch(/at least 10/);
    expect(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatch(/at most/);
    expect(passwordProblem('zzzzzzzzzzzz')).toMatch(/repeated/);
    expect(passwordProblem('Me@Example.com', 'me@example.com')).toMatch(/email/);
    expect(passwordProblem('longlocalpart', 'LongLocalPart@example.com')).toMatch(/email/);
    expect(passwordProblem('QWERTYUIOP')).toMatch(/common/);
  });
});
