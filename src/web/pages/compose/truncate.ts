/**
 * The start of a text as a feed shows it before its "more" link: at most `lines` lines and
 * `chars` characters (code points). `more` says whether anything was left out.
 */
export function truncate(
  text: string,
  { chars, lines }: { chars: number; lines: number },
): {
  text: string;
  more: boolean;
} {
  const trimmed = text.trim();
  const allLines = trimmed.split('\n');
  if ([...trimmed].length <= chars && allLines.length <= lines) return { text: trimmed, more: false };
  const firstLines = allLines.slice(0, lines).join('\n');
  const cut = [...firstLines].slice(0, chars).join('');
  // Like the platforms, end on a whole word when the cut falls inside one.
  const wordEnd = cut.length < firstLines.length && /\S/.test(firstLines[cut.length] ?? '') ? cut.search(/\s\S*$/) : -1;
  return { text: (wordEnd > 0 ? cut.slice(0, wordEnd) : cut).trimEnd(), more: true };
}
