const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
// The surrounding sentences are English, so the relative part is too ("in 59 days", "yesterday").
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "22 Nov 2025, 20:10" in the reader's locale. */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** "22 Nov 2025" in the reader's locale. */
export const formatDate = (iso: string): string => dateOnly.format(new Date(iso));

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * "in 59 days", "3 hours ago", "now": the largest unit that fits. Days are used up to 90 so
 * token lifetimes (60 and 90 days) read exactly.
 */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const size = Math.abs(seconds);
  if (size < 45) return 'just now';
  for (const [unit, length] of UNITS) {
    if (unit === 'month' && size < 91 * 24 * 3600) continue;
    if (size >= length) return relative.format(Math.round(seconds / length), unit);
  }
  return relative.format(Math.round(seconds / 60), 'minute');
}

/** Whether the moment has passed. */
export const isPast = (iso: string, now: number = Date.now()): boolean => new Date(iso).getTime() <= now;
