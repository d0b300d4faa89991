import type { ErrorSource } from '../../../contracts/admin.ts';

/** "93 %" for a share from 0 to 1; "–" when nothing was counted. */
export const formatPercent = (rate: number | null): string => (rate === null ? '–' : `${Math.round(rate * 100)} %`);

export const SOURCE_LABELS: Record<ErrorSource, string> = {
  connect: 'Connecting',
  publish: 'Publishing',
  token_check: 'Token checks',
};

/** "45 s", "12 min", "3 h": how long something has waited. */
export function formatWait(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
