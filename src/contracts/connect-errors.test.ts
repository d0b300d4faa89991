import { describe, expect, it } from 'vitest';
import { CONNECT_ERRORS, CONNECT_PLATFORMS, type ConnectErrorCode, connectErrorText } from './connect-errors.ts';

const CODES = Object.keys(CONNECT_ERRORS) as ConnectErrorCode[];

describe('connectErrorText', () => {
  it('speaks of Facebook for Instagram through Facebook Login, as before', () => {
    expect(connectErrorText('CONNECT_DENIED', 'instagram')).toEqual({
      message: 'You cancelled the connection on Facebook.',
      fix: 'Start again and choose Continue when Facebook asks.',
    });
    expect(connectErrorText('RECONNECT_MISMATCH', 'instagram').fix).toBe(
      'Reconnect again and select the Page linked to that Instagram account.',
    );
  });

  it('names LinkedIn and its Allow button for a LinkedIn flow', () => {
    expect(connectErrorText('CONNECT_DENIED', 'linkedin')).toEqual({
      message: 'You cancelled the connection on LinkedIn.',
      fix: 'Start again and choose Allow when LinkedIn asks.',
    });
    expect(connectErrorText('PROVIDER_UNAVAILABLE', 'linkedin').message).toBe(
      'LinkedIn did not answer or asked us to slow down.',
    );
  });

  it('stays neutral without a known provider, starting sentences with a capital', () => {
    expect(connectErrorText('CODE_REJECTED').message).toBe('The platform did not accept the login result.');
    expect(connectErrorText('CONNECT_FAILED', 'myspace').message).toBe('The platform ended the login with an error.');
  });

  it.each([...Object.keys(CONNECT_PLATFORMS), undefined])('fills every placeholder for provider %s', (provider) => {
    for (const code of CODES) {
      const { message, fix } = connectErrorText(code, provider);
      expect(`${message} ${fix}`).not.toMatch(/[{}]/);
    }
  });
});
