/** Times as `<input type="datetime-local">` reads and writes them: the browser's own time zone. */

const pad = (value: number) => String(value).padStart(2, '0');

/** "2025-11-22T20:15" for the moment, in local time. */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The moment a local "2025-11-22T20:15" means, or null when it is not a complete date and time. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  // Without an offset, a date-time string is read in the local time zone.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A sensible default: an hour from now, rounded up to the next quarter hour. */
export function defaultScheduleTime(now: number = Date.now()): Date {
  const quarter = 15 * 60_000;
  return new Date(Math.ceil((now + 60 * 60_000) / quarter) * quarter);
}

/** "Europe/Berlin (GMT+01:00)": the browser's time zone and its current offset. */
export function timeZoneLabel(at: Date = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = new Intl.DateTimeFormat('en', { timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((part) => part.type === 'timeZoneName')?.value;
  return offset && offset !== zone ? `${zone} (${offset})` : zone;
}
