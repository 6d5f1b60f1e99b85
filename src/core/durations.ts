/**
 * Durations written for people, in one place: every front end (CLI, console, Discord, progress
 * lines) and every problem line or log message meant to be read says "2 min 5 s", never "125.3 s".
 */

/**
 * A duration for people: milliseconds under a second, one decimal under 10 s (without a trailing
 * ".0"), whole seconds under a minute, then minutes and seconds, hours and minutes, days and hours.
 *
 * @example formatDuration(125_300) // '2 min 5 s'
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 9_950) return `${Number((ms / 1_000).toFixed(1)).toString()} s`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
  if (seconds < 3_600) return pair(Math.floor(seconds / 60), 'min', seconds % 60, 's');
  const minutes = Math.round(seconds / 60);
  if (minutes < 24 * 60) return pair(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
  const hours = Math.round(minutes / 60);
  return pair(Math.floor(hours / 24), hours < 48 ? 'day' : 'days', hours % 24, 'h');
}
