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

/** "Ada Lovelace, Alan Turing, Grace Hopper et al." */
export function authorLine(names: string[], shown = 3): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} et al.`;
}
