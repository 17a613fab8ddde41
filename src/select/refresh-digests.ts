import { parseScoreDetails, SCORING_METHOD, SELECTION_METHOD } from '../domain/scoring.ts';
import { decidingReasons } from '../score/explain.ts';
import type { ScoredAnnouncement } from '../store/repositories/digests.ts';
import type { Store } from '../store/store.ts';
import { groupBy } from '../domain/collections.ts';
import { isTag, type Tag } from '../domain/taxonomy.ts';
import { changedMaterially } from './material-change.ts';
import { selectDigest, type SelectionCandidate } from './select-digest.ts';

export interface DigestSettings {
  digestSize: number;
  historyDays: number;
  categories: string[];
  /** No tag may be carried by more than this share of a digest. */
  maxTagShare: number;
}

type DayRow = ScoredAnnouncement;

/** The repositories selection reads and writes. */
export type SelectionStore = Pick<Store, 'digests' | 'papers'>;

/** For each replacement, what changed materially since the version before it (null: nothing material). */
async function revisionsOf(store: SelectionStore, rows: readonly DayRow[]): Promise<Map<string, string | null>> {
  const replaced = rows.filter((r) => r.announce_type === 'replace' || r.announce_type === 'replace-cross');
  if (replaced.length === 0) return new Map();
  const versions = await store.digests.versionTexts(replaced.map((r) => r.id));
  const out = new Map<string, string | null>();
  for (const row of replaced) {
    const own = versions.filter((v) => v.paper_id === row.id);
    const next = own.find((v) => v.version === row.announced_version);
    const previous = own.filter((v) => v.version < row.announced_version).sort((a, b) => b.version - a.version)[0];
    const changed = next && previous && changedMaterially({ title: previous.title_raw, abstract: previous.abstract_raw }, { title: next.title_raw, abstract: next.abstract_raw });
    out.set(row.id, changed ? `Revised in v${row.announced_version}: ${previous.title_raw.trim() !== next.title_raw.trim() ? 'new title and text' : 'abstract substantially rewritten'}.` : null);
  }
  return out;
}

/**
 * A day's candidates: every paper announced that day (a cross-list once, whatever its categories)
 * that has scores and a summary of its latest version, minus papers an earlier digest already showed.
 * A new version is a candidate only when it changed materially, and then even if it was shown before.
 */
async function candidatesOf(store: SelectionStore, day: string): Promise<SelectionCandidate[]> {
  const rows: DayRow[] = await store.digests.scoredAnnouncements(day, SCORING_METHOD);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [categoriesOf, summaries, shownBefore, revisions] = await Promise.all([
    store.papers.categoriesOf(ids),
    store.digests.summaryTags(ids),
    store.digests.shownBefore(day, ids),
    revisionsOf(store, rows),
  ]);
  const rowOf = new Map(rows.map((r) => [r.id, r]));
  const tagsOf = new Map<string, Tag[]>();
  for (const summary of summaries) {
    const row = rowOf.get(summary.paper_id);
    // The newest summary of the version shown, as the card shows it.
    if (row && summary.version === row.latest_version && !tagsOf.has(row.id)) tagsOf.set(row.id, (JSON.parse(summary.tags) as string[]).filter(isTag));
  }
  const candidates: SelectionCandidate[] = [];
  for (const row of rows) {
    const tags = tagsOf.get(row.id);
    const details = parseScoreDetails(row.details);
    if (!tags || !details || row.novelty === null || row.ai_score === null) continue;
    const isRevision = row.announce_type === 'replace' || row.announce_type === 'replace-cross';
    const revision = isRevision ? revisions.get(row.id) : undefined;
    if (isRevision ? !revision : shownBefore.has(row.id)) continue;
    candidates.push({
      id: row.id,
      primaryCategory: row.primary_category,
      categories: categoriesOf.get(row.id) ?? [],
      tags,
      novelty: row.novelty,
      aiScore: row.ai_score,
      deciding: decidingReasons(details),
      ...(revision ? { revision } : {}),
    });
  }
  return candidates;
}

/**
 * Recomputes the digest of every day in the history window, oldest first, so "shown before" counts
 * what the earlier days show now. Deterministic: the same papers, summaries and scores give the same
 * digest, so rerunning a pass never reshuffles what readers saw.
 */
export async function refreshDigests(store: SelectionStore, settings: DigestSettings): Promise<Map<string, number>> {
  const picked = new Map<string, number>();
  for (const day of (await store.digests.historyWindow(settings.historyDays)).reverse()) {
    const selection = selectDigest(await candidatesOf(store, day), {
      size: settings.digestSize,
      followedCategories: settings.categories,
      maxTagShare: settings.maxTagShare,
    });
    const now = new Date().toISOString();
    await store.digests.replaceDay(day, selection.map((s) => ({ paperId: s.id, why: s.why })), SELECTION_METHOD, now);
    picked.set(day, selection.length);
  }
  return picked;
}
