/**
 * The scoring stage: gives every paper in the store a Novelty % and an AI Score, stored in `scores`
 * with SCORING_METHOD. A paper is due when its latest version has no score of this method, or when
 * the rubric its current summary carries is not the one its score used. Scores depend only on the
 * stored papers and summaries (no clock, no randomness), so a recompute gives the same numbers.
 */
import { addDays } from '../arxiv/calendar.ts';
import type { PaperToScore, ScoresRepository } from '../store/repositories/scores.ts';
import type { Store } from '../store/store.ts';
import { noProgress, type ProgressFactory } from '../progress.ts';
import { announcementDay } from '../domain/announcement-day.ts';
import { groupBy } from '../domain/collections.ts';
import { rubricSchema, type Rubric } from '../domain/rubric.ts';
import { SCORING_METHOD, type ScoreDetails } from '../domain/scoring.ts';
import { shippedSelectionModel } from './selection-model.ts';
import { round } from './round.ts';
import { CALIBRATION_DAYS, MIN_REFERENCE, NOVELTY_NEIGHBOURS, noveltyDistance, percentileOf, referenceSample } from './novelty.ts';
import { TextIndexBuilder, type Neighbour } from './text-index.ts';

export interface ScoreTotals {
  scored: number;
  novelty: { min: number; max: number } | null;
}

export interface ScoreOptions {
  /** Score only papers first announced on these days (benchmarks); default: every due paper. */
  days?: string[];
  progress?: ProgressFactory;
}

/** What the stage keeps of every paper; abstracts are streamed into the index, not held. */
type PaperRow = PaperToScore;

/** A due paper with the text its signals are measured on. */
interface DuePaper extends PaperRow {
  abstract: string;
  comment: string | null;
}

function dayOf(paper: PaperRow): string {
  return announcementDay(paper.first_announced_on, paper.published_at);
}

/** The rubric of each paper's current summary (the newest of its latest version, as cards show it). */
async function currentRubrics(scores: ScoresRepository, papers: readonly PaperRow[]): Promise<Map<string, { rubric: Rubric; key: string }>> {
  const latest = new Map(papers.map((p) => [p.id, p.latest_version]));
  const rows = await scores.summaryRubricsNewestFirst(papers.map((p) => p.id));
  const seen = new Set<string>();
  const out = new Map<string, { rubric: Rubric; key: string }>();
  for (const row of rows) {
    if (row.version !== latest.get(row.paper_id) || seen.has(row.paper_id)) continue;
    seen.add(row.paper_id);
    if (row.rubric === null) continue;
    const parsed = rubricSchema.safeParse(JSON.parse(row.rubric));
    if (parsed.success) out.set(row.paper_id, { rubric: parsed.data, key: `${row.engine}/${row.model}/${row.prompt_version}@${row.created_at}` });
  }
  return out;
}

/** Papers whose latest version has no score of this method, or whose score used another rubric. */
async function duePapers(scores: ScoresRepository, papers: readonly PaperRow[], rubrics: Map<string, { key: string }>): Promise<PaperRow[]> {
  const scored = await scores.summaryKeysOfMethod(SCORING_METHOD);
  const current = new Map(scored.map((s) => [`${s.paper_id}v${s.version}`, s.summary_key]));
  return papers.filter((p) => {
    const key = `${p.id}v${p.latest_version}`;
    return !current.has(key) || current.get(key) !== (rubrics.get(p.id)?.key ?? null);
  });
}

/** For each paper, the most earlier papers any one of its authors has in the store. */
async function authorPriorCounts(scores: ScoresRepository, due: readonly DuePaper[], published: Map<string, number>): Promise<Map<string, number>> {
  const links = await scores.authorLinksOfPapers(due.map((p) => p.id));
  const authorIds = [...new Set(links.map((l) => l.author_id))];
  const rows = await scores.authorLinksOfAuthors(authorIds);
  const papersOfAuthor = groupBy(
    rows.filter((row) => published.has(row.paper_id)),
    (row) => row.author_id,
    (row) => ({ time: published.get(row.paper_id)!, id: row.paper_id }),
  );
  const out = new Map<string, number>();
  for (const link of links) {
    const own = { time: published.get(link.paper_id)!, id: link.paper_id };
    const earlier = (papersOfAuthor.get(link.author_id) ?? []).filter((p) => isEarlier(p, own)).length;
    out.set(link.paper_id, Math.max(out.get(link.paper_id) ?? 0, earlier));
  }
  return out;
}

/** The text index's order: submission time, then arXiv id (assigned in submission order). */
function isEarlier(a: { time: number; id: string }, b: { time: number; id: string }): boolean {
  return a.time < b.time || (a.time === b.time && a.id < b.id);
}


/** Scores every due paper (see duePapers) and writes the rows in one transaction. */
export async function scorePendingPapers(store: Store, options: ScoreOptions = {}): Promise<ScoreTotals> {
  const scores = store.scores;
  const papers = await scores.allPapersToScore();
  const onlyDays = options.days ? new Set(options.days) : null;
  const candidates = onlyDays ? papers.filter((p) => onlyDays.has(dayOf(p))) : papers;
  const rubrics = await currentRubrics(scores, candidates);
  const dueRows = await duePapers(scores, candidates, rubrics);
  if (dueRows.length === 0) return { scored: 0, novelty: null };
  const bar = (options.progress ?? noProgress)('score');
  bar.start(dueRows.length);

  // Every stored paper is prior literature: its text goes into the index as it streams past.
  const published = new Map(papers.map((p) => [p.id, Date.parse(p.published_at)]));
  const dueText = new Map<string, { abstract: string; comment: string | null }>(dueRows.map((p) => [p.id, { abstract: '', comment: null }]));
  const builder = new TextIndexBuilder(papers.length);
  for await (const row of scores.streamPaperTexts()) {
    const time = published.get(row.id);
    if (time === undefined) continue; // stored after this pass began; the next pass has it
    builder.add(row.id, time, [row.title, row.abstract]);
    if (dueText.has(row.id)) dueText.set(row.id, { abstract: row.abstract, comment: row.comment });
  }
  const index = builder.build();
  const due: DuePaper[] = dueRows.map((p) => ({ ...p, ...dueText.get(p.id)! }));
  const byId = new Map(papers.map((p) => [p.id, p]));
  const papersOfDay = groupBy(papers, dayOf, (p) => p.id);
  const firstDay = [...papersOfDay.keys()].sort()[0]!;

  const neighbours = new Map<string, Neighbour[]>();
  const nearest = (id: string): Neighbour[] => {
    let found = neighbours.get(id);
    if (!found) {
      found = index.nearestEarlier(id, NOVELTY_NEIGHBOURS);
      neighbours.set(id, found);
    }
    return found;
  };
  const distance = (id: string) => noveltyDistance(nearest(id));

  const dueIds = due.map((p) => p.id);
  const [priorCounts, coded, traits] = await Promise.all([
    authorPriorCounts(scores, due, published),
    scores.papersWithCode(dueIds),
    scores.paperTraits(dueIds),
  ]);
  const model = shippedSelectionModel();

  const dueByDay = groupBy(due, dayOf);
  const rows: Array<{ paper_id: string; version: number; method_version: string; novelty: number; ai_score: number; details: string; computed_at: string }> = [];
  const computedAt = new Date().toISOString();
  let min = Infinity;
  let max = -Infinity;
  for (const day of [...dueByDay.keys()].sort()) {
    // The reference: papers announced in the CALIBRATION_DAYS days before. In a store younger than that,
    // those papers had far fewer earlier papers to be near than today's have, which would skew the
    // percentile, so until then a day is calibrated against its own papers (same corpus, same footing).
    const historyKnown = firstDay <= addDays(day, -CALIBRATION_DAYS);
    const windowIds: string[] = [];
    for (let back = 1; back <= CALIBRATION_DAYS; back += 1) windowIds.push(...(papersOfDay.get(addDays(day, -back)) ?? []));
    const sameDay = !historyKnown || windowIds.length < MIN_REFERENCE;
    const referenceIds = referenceSample(sameDay ? (papersOfDay.get(day) ?? []) : windowIds);
    const inReference = new Set(referenceIds);
    const reference = Float64Array.from(referenceIds, distance).sort();
    for (const paper of dueByDay.get(day)!) {
      const ownDistance = distance(paper.id);
      const novelty = percentileOf(ownDistance, reference, inReference.has(paper.id) ? ownDistance : undefined);
      const prediction = model.predict({
        title: paper.title,
        abstract: paper.abstract,
        comment: paper.comment,
        authorCount: traits.get(paper.id)!.authorCount,
        categories: traits.get(paper.id)!.categories,
        hasCode: coded.has(paper.id),
        authorPriorPapers: historyKnown ? (priorCounts.get(paper.id) ?? 0) : null,
      });
      const aiScore = round(100 * prediction.probability, 1);
      const rubric = rubrics.get(paper.id) ?? null;
      const details: ScoreDetails = {
        method: SCORING_METHOD,
        novelty: {
          percentile: novelty,
          distance: round(ownDistance, 4),
          k: NOVELTY_NEIGHBOURS,
          closest: nearest(paper.id).map((n) => ({ id: n.key, title: byId.get(n.key)!.title, similarity: round(n.similarity, 3) })),
          reference: { days: CALIBRATION_DAYS, papers: referenceIds.length - (inReference.has(paper.id) ? 1 : 0), sameDay },
        },
        aiScore: {
          source: 'selection-model',
          model: model.model.id,
          probability: round(prediction.probability, 4),
          signals: [...prediction.contributions].sort((a, b) => b.contribution - a.contribution || a.key.localeCompare(b.key)),
          rubric: rubric?.rubric ?? null,
          summaryKey: rubric?.key ?? null,
        },
      };
      rows.push({ paper_id: paper.id, version: paper.latest_version, method_version: SCORING_METHOD, novelty, ai_score: aiScore, details: JSON.stringify(details), computed_at: computedAt });
      min = Math.min(min, novelty);
      max = Math.max(max, novelty);
      bar.advance(1);
    }
  }
  await scores.upsert(rows);
  bar.stop();
  return { scored: rows.length, novelty: { min, max } };
}
