import { describe, expect, it } from 'vitest';
import { commentaryLength, escapeLittleText, RESERVED_CHARACTERS } from './linkedin-rules.ts';

describe('escapeLittleText', () => {
  it('backslash-escapes every reserved character, and nothing else', () => {
    for (const char of RESERVED_CHARACTERS) expect(escapeLittleText(`a${char}b`)).toBe(`a\\${char}b`);
    expect(escapeLittleText('Plain text, émojis ☕ and "quotes"!')).toBe('Plain text, émojis ☕ and "quotes"!');
  });

  it('escapes a backslash once, so an escape typed by the user stays visible', () => {
    expect(escapeLittleText('\\(x\\)')).toBe('\\\\\\(x\\\\\\)');
    expect(escapeLittleText('Mail me @home (not #work) [v2] {a|b} <3 ~_*')).toBe(
      'Mail me \\@home \\(not \\#work\\) \\[v2\\] \\{a\\|b\\} \\<3 \\~\\_\\*',
    );
  });

  it('counts a caption as sent: each reserved character twice, each emoji as its UTF-16 units', () => {
    expect(commentaryLength('hello')).toBe(5);
    expect(commentaryLength('(hi)')).toBe(6);
    expect(commentaryLength('☕')).toBe(1);
    expect(commentaryLength('😀')).toBe(2);
  });
});
