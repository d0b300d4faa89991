import { Group, Text, Textarea } from '@mantine/core';
import { useId } from 'react';
import { CAPTION_LIMITS, type CaptionCounts, countCaption } from '../../../contracts/instagram-rules.ts';

const numbers = new Intl.NumberFormat();

function Counter({ label, count, limit }: { label: string; count: number; limit: number }) {
  const over = count > limit;
  return (
    <Text size="xs" c={over ? 'red.8' : 'dimmed'} fw={over ? 700 : undefined} data-over={over || undefined}>
      {label} {numbers.format(count)} / {numbers.format(limit)}
    </Text>
  );
}

/** What is over Instagram's limits, in one sentence for screen readers (empty when nothing is). */
function overText(counts: CaptionCounts): string {
  const over: string[] = [];
  if (counts.characters > CAPTION_LIMITS.characters)
    over.push(`${counts.characters - CAPTION_LIMITS.characters} characters too many`);
  if (counts.hashtags > CAPTION_LIMITS.hashtags)
    over.push(`${counts.hashtags - CAPTION_LIMITS.hashtags} hashtags too many`);
  if (counts.mentions > CAPTION_LIMITS.mentions)
    over.push(`${counts.mentions - CAPTION_LIMITS.mentions} mentions too many`);
  return over.length > 0 ? `Over Instagram's limits: ${over.join(', ')}.` : '';
}

/** The caption, with live counts of characters, hashtags and mentions against Instagram's limits. */
export function CaptionField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const countsId = useId();
  const counts = countCaption(value);
  const over = overText(counts);
  return (
    <div>
      <Textarea
        label="Caption"
        placeholder="Write a caption… #hashtags and @mentions count toward Instagram's limits."
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={12}
        error={over ? true : undefined}
        aria-describedby={countsId}
      />
      <Group id={countsId} gap="md" mt={6} justify="flex-end">
        <Counter label="Characters" count={counts.characters} limit={CAPTION_LIMITS.characters} />
        <Counter label="Hashtags" count={counts.hashtags} limit={CAPTION_LIMITS.hashtags} />
        <Counter label="Mentions" count={counts.mentions} limit={CAPTION_LIMITS.mentions} />
      </Group>
      {/* Always rendered, so screen readers hear the sentence when it appears (not every count). */}
      <Text size="sm" c="red.8" mt={over ? 4 : 0} aria-live="polite">
        {over}
      </Text>
    </div>
  );
}
