const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * An article's `YYYY-MM-DD` date as people write it: `6 Nov 2023`. Anything else is returned as it
 * came, so a renderer never shows less than the article says.
 *
 * @example humanDate('2023-11-06') // '6 Nov 2023'
 */
export function humanDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const month = match === null ? undefined : MONTHS[Number(match[2]) - 1];
  if (match === null || month === undefined) return date;
  return `${Number(match[3])} ${month} ${match[1]}`;
}
