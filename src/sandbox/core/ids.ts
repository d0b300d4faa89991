import { randomBytes, randomInt } from 'node:crypto';

/** Opaque random string in the alphabet the platforms use for tokens and codes. */
export const randomToken = (prefix: string, length = 48): string =>
  `${prefix}${randomBytes(length).toString('base64url').slice(0, length)}`;

/**
 * Numeric ids shaped like Meta's: a fixed prefix and random digits, returned as strings.
 * Instagram professional account ids start with 1784 and exceed 2^53, so clients must not
 * parse them as numbers.
 */
export const numericId = (prefix: string, length: number): string => {
  let digits = prefix;
  while (digits.length < length) digits += String(randomInt(10));
  return digits;
};
