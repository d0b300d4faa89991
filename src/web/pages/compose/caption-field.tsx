import { Group, Stack, Text, Textarea } from '@mantine/core';
import { useId } from 'react';
import { FACEBOOK_MESSAGE_MAX } from '../../../contracts/facebook-rules.ts';
import { CAPTION_LIMITS, countCaption } from '../../../contracts/instagram-rules.ts';
import { COMMENTARY_MAX, commentaryLength } from '../../../contracts/linkedin-rules.ts';
import type { Platform } from '../../../contracts/providers.ts';
import { PLATFORM_NAMES } from './platforms.ts';

const numbers = new Intl.NumberFormat();

interface Count {
  label: string;
  count: number;
  limit: number;
}

function Counter({ label, count, limit }: Count) {
  const over = count > limit;
  return (
    <Text size="xs" c={over ? 'red.8' : 'dimmed'} fw={over ? 700 : undefined} data-over={over || undefined}>
      {label} {numbers.format(count)} / {numbers.format(limit)}
    </Text>
  );
}

/** Each platform's own counts of the caption against its limits (LinkedIn counts its escapes). */
function countsFor(platform: Platform, caption: string): Count[] {
  if (platform === 'instagram') {
    const counts = countCaption(caption);
    return [
      { label: 'Characters', count: counts.characters, limit: CAPTION_LIMITS.characters },
      { label: 'Hashtags', count: counts.hashtags, limit: CAPTION_LIMITS.hashtags },
      { label: 'Mentions', count: counts.mentions, limit: CAPTION_LIMITS.mentions },
    ];
  }
  if (platform === 'linkedin')
    return [{ label: 'Characters', count: commentaryLength(caption), limit: COMMENTARY_MAX }];
  return [{ label: 'Characters', count: [...caption].length, limit: FACEBOOK_MESSAGE_MAX }];
}

/** What is over a platform's limits, in one sentence for screen readers (empty when nothing is). */
function overText(platform: Platform, counts: Count[]): string {
  const over = counts
    .filter(({ count, limit }) => count > limit)
    .map(({ label, count, limit }) => `${count - limit} ${label.toLowerCase()} too many`);
  return over.length > 0 ? `Over ${PLATFORM_NAMES[platform]}'s limits: ${over.join(', ')}.` : '';
}

interface CaptionFieldProps {
  value: string;
  onChange: (value: string) => void;
  /** The platforms the post goes to; each shows its own counts. */
  platforms: readonly Platform[];
}

/** The caption, with live counts against the limits of each platform the post goes to. */
export function CaptionField({ value, onChange, platforms }: CaptionFieldProps) {
  const countsId = useId();
  const lines = platforms.map((platform) => ({ platform, counts: countsFor(platform, value) }));
  const over = lines
    .map(({ platform, counts }) => overText(platform, counts))
    .filter(Boolean)
    .join(' ');
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
      <Stack id={countsId} gap={2} mt={6} align="flex-end">
        {lines.map(({ platform, counts }) => (
          <Group
            key={platform}
            role="group"
            gap="md"
            justify="flex-end"
            aria-label={`${PLATFORM_NAMES[platform]} limits`}
          >
            {lines.length > 1 && (
              <Text size="xs" fw={600} c="dimmed">
                {PLATFORM_NAMES[platform]}
              </Text>
            )}
            {counts.map((count) => (
              <Counter key={count.label} {...count} />
            ))}
          </Group>
        ))}
      </Stack>
      {/* Always rendered, so screen readers hear the sentence when it appears (not every count). */}
      <Text size="sm" c="red.8" mt={over ? 4 : 0} aria-live="polite">
        {over}
      </Text>
    </div>
  );
}
