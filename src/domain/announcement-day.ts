/**
 * The announcement day (YYYY-MM-DD) of a stored paper: the first day arXiv listed it, or, for a paper
 * stored without one, the UTC date of its first version. Scores are calibrated per this day, and
 * profiles and feeds date papers by it, so all of them must agree on it.
 */
export function announcementDay(firstAnnouncedOn: string | null, published: string): string {
  return firstAnnouncedOn ?? published.slice(0, 10);
}
