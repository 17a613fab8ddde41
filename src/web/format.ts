/** Date and number formatting for pages; all dates are arXiv mailing dates, shown in UTC. */
export function formatLongDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate.slice(0, 10)}T00:00:00Z`),
  );
}

export function formatShortDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en-US').format(n);
}

/** A paper date on a profile: "May 18" in the current year, "Nov 4, 2025" before it. */
export function formatListDate(isoDate: string, today: Date = new Date()): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  const sameYear = date.getUTCFullYear() === today.getUTCFullYear();
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', ...(sameYear ? {} : { year: 'numeric' }), timeZone: 'UTC' }).format(date);
}

/** arXiv category as a short code: "cs.LG" → "LG", "quant-ph" → "QUANT-PH", "stat.ML" → "STAT.ML". */
export function categoryCode(category: string): string {
  return (category.startsWith('cs.') ? category.slice(3) : category).toUpperCase();
}

/** Authors as plain text (feeds): the first `shown`, then "et al.". Pages link them (AuthorLinks). */
export function authorLine(names: string[], shown = 3): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} et al.`;
}
