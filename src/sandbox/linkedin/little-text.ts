/** Characters with a meaning in LinkedIn's "little text" format; as literal text they must be backslash-escaped. */
export const RESERVED_CHARACTERS = '()[]{}<>@|~_*#\\';

/** A mention in little text: `@[Name](urn:li:person:abc)` or `@[Name](urn:li:organization:123)`. */
const MENTION = /^@\[([^\]]*)\]\((urn:li:(?:person|organization):[^)]+)\)/;

/**
 * How LinkedIn shows a post's commentary: escapes resolved, mentions shown by name, and the text
 * cut at the first unescaped reserved character, which is what its parser does with input it
 * cannot read (reference §8.5). The sandbox keeps the raw commentary too, so tests can see both.
 */
export function renderLittleText(commentary: string): { text: string; truncated: boolean } {
  let text = '';
  let index = 0;
  while (index < commentary.length) {
    const char = commentary.charAt(index);
    const next = commentary.charAt(index + 1);
    if (char === '\\' && next !== '' && RESERVED_CHARACTERS.includes(next)) {
      text += next;
      index += 2;
      continue;
    }
    const mention = char === '@' ? MENTION.exec(commentary.slice(index)) : null;
    if (mention) {
      text += mention[1];
      index += mention[0].length;
      continue;
    }
    if (RESERVED_CHARACTERS.includes(char)) return { text, truncated: true };
    text += char;
    index += 1;
  }
  return { text, truncated: false };
}
