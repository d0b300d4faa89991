const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "22 Nov 2025, 20:10" in the reader's locale. */
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** "22 Nov 2025" in the reader's locale. */
export const formatDate = (iso: string): string => dateOnly.format(new Date(iso));
