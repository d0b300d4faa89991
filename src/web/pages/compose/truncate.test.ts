import { describe, expect, it } from 'vitest';
import { truncate } from './truncate.ts';

describe('truncate', () => {
  it('keeps a text that fits, trimmed', () => {
    expect(truncate('  Hello there \n', { chars: 20, lines: 2 })).toEqual({ text: 'Hello there', more: false });
  });

  it('cuts at the character limit, ending on a whole word', () => {
    expect(truncate('Fresh roast this morning', { chars: 14, lines: 3 })).toEqual({ text: 'Fresh roast', more: true });
    expect(truncate('Fresh roast this', { chars: 12, lines: 3 })).toEqual({ text: 'Fresh roast', more: true });
  });

  it('cuts after the last line shown', () => {
    expect(truncate('one\ntwo\nthree', { chars: 100, lines: 2 })).toEqual({ text: 'one\ntwo', more: true });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(truncate('☕☕☕ 🍩🍩', { chars: 5, lines: 1 })).toEqual({ text: '☕☕☕', more: true });
    expect(truncate('🍩🍩🍩', { chars: 3, lines: 1 })).toEqual({ text: '🍩🍩🍩', more: false });
  });
});
