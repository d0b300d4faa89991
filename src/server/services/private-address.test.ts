import { describe, expect, it } from 'vitest';
import { isPrivateAddress, privateAddressOf } from './private-address.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('privateAddressOf', () => {
  it('names a private IP literal or a name that resolves to one, and passes public literals', async () => {
    expect(await privateAddressOf('http://127.0.0.1:8080/hook')).toBe('127.0.0.1');
    expect(await privateAddressOf('http://[::1]/hook')).toBe('::1');
    expect(await privateAddressOf('http://localhost/hook')).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(await privateAddressOf('https://8.8.8.8/hook')).toBeNull();
  });
});
