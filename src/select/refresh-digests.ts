import { parseScoreDetails, SCORING_METHOD, SELECTION_METHOD } from '../domain/scoring.ts';
import { decidingReasons } from '../score/explain.ts';
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

/** The announcement days in the browsable window, newest first. */
export async function historyWindow(store: Store, historyDays: number): Promise<string[]> {
  const rows = await store
    .db.selectFrom('announcements')
    .select('announced_on')
    .distinct()
    .orderBy('announced_on', 'desc')
    .limit(historyDays)
    .execute();
  return rows.map((r) => r.announced_on);
}

interface DayRow {
  id: string;
  primary_category: string;
  latest_version: number;
  announce_type: 'new' | 'cross' | 'replace' | 'replace-cross';
  announced_version: number;
  novelty: number | null;
  ai_score: number | null;
  details: string;
}

/** For each replacement, what changed materially since the version before it (null: nothing material). */
async function revisionsOf(store: Store, rows: readonly DayRow[]): Promise<Map<string, string | null>> {
  const replaced = rows.filter((r) => r.announce_type === 'replace' || r.announce_type === 'replace-cross');
  if (replaced.length === 0) return new Map();
  const versions = await store
    .db.selectFrom('paper_versions')
    .select(['paper_id', 'version', 'title_raw', 'abstract_raw'])
    .where('paper_id', 'in', replaced.map((r) => r.id))
    .execute();
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
async function candidatesOf(store: Store, day: string): Promise<SelectionCandidate[]> {
  const rows: DayRow[] = await store
    .db.selectFrom('announcements as a')
    .innerJoin('papers as p', 'p.id', 'a.paper_id')
    .innerJoin('scores as sc', (join) => join.onRef('sc.paper_id', '=', 'p.id').onRef('sc.version', '=', 'p.latest_version').on('sc.method_version', '=', SCORING_METHOD))
    .select(['p.id', 'p.primary_category', 'p.latest_version', 'a.announce_type', 'a.version as announced_version', 'sc.novelty', 'sc.ai_score', 'sc.details'])
    .where('a.announced_on', '=', day)
    .where('p.withdrawn', '=', 0)
    .where('p.summary_status', 'in', ['success', 'fallback'])
    .execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [categories, summaries, shown, revisions] = await Promise.all([
    store.db.selectFrom('paper_categories').select(['paper_id', 'category']).where('paper_id', 'in', ids).orderBy('position').execute(),
    store.db.selectFrom('summaries').select(['paper_id', 'version', 'tags']).where('paper_id', 'in', ids).orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
    store.db.selectFrom('digest_entries').select('paper_id').where('announced_on', '<', day).where('paper_id', 'in', ids).execute(),
    revisionsOf(store, rows),
  ]);
  const shownBefore = new Set(shown.map((r) => r.paper_id));
  const rowOf = new Map(rows.map((r) => [r.id, r]));
  const categoriesOf = groupBy(categories, (c) => c.paper_id, (c) => c.category);
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
export async function refreshDigests(store: Store, settings: DigestSettings): Promise<Map<string, number>> {
  const picked = new Map<string, number>();
  for (const day of (await historyWindow(store, settings.historyDays)).reverse()) {
    const selection = selectDigest(await candidatesOf(store, day), {
      size: settings.digestSize,
      followedCategories: settings.categories,
      maxTagShare: settings.maxTagShare,
    });
    const now = new Date().toISOString();
    await store.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('digest_entries').where('announced_on', '=', day).execute();
      if (selection.length > 0) {
        await tx
          .insertInto('digest_entries')
          .values(selection.map((s, rank) => ({ announced_on: day, rank, paper_id: s.id, why: s.why, method_version: SELECTION_METHOD, selected_at: now })))
          .execute();
      }
    });
    picked.set(day, selection.length);
  }
  return picked;
}
