import { PreparedDay } from '../select/personal/prepared-day.ts';
import { rankForReader } from '../select/personal/rank.ts';
import type { CandidatePaper, PersonalPick, ReaderProfile } from '../select/personal/types.ts';
import type { Store } from '../store/store.ts';

/**
 * A reader's ranking of one announcement day's papers (src/select/personal). The day's features are
 * prepared once per day and store generation and shared by every reader (the costly part: one
 * reader's ranking is then sparse dot products, measured in `npm run bench -- --only personal`).
 */
export interface Prepared<Attached> {
  day: PreparedDay;
  /** What the caller loaded beside the candidates (the web keeps the day's cards). */
  attached: Attached;
}

export class PersonalRanking<Attached> {
  private readonly days = new Map<string, { generation: string; day: Promise<Prepared<Attached>> }>();

  constructor(private readonly maxDays = 8) {}

  /** The day's candidates, prepared once per (day, generation); `load` runs only when they are not kept. */
  prepared(date: string, generation: string, load: () => Promise<{ candidates: CandidatePaper[]; attached: Attached }>): Promise<Prepared<Attached>> {
    const kept = this.days.get(date);
    if (kept && kept.generation === generation) return kept.day;
    const day = load().then(({ candidates, attached }) => ({ day: new PreparedDay(candidates), attached }));
    // A failed load is not kept: the next request tries again.
    day.catch(() => this.days.get(date)?.day === day && this.days.delete(date));
    this.days.delete(date);
    this.days.set(date, { generation, day });
    while (this.days.size > this.maxDays) this.days.delete(this.days.keys().next().value!);
    return day;
  }

  rank(prepared: Prepared<Attached>, profile: ReaderProfile): PersonalPick[] {
    return rankForReader(prepared.day, profile);
  }
}

/** What the ranking knows of a reader, from the store: library, feedback with the papers' text, follows and rules. */
export async function readerProfile(store: Pick<Store, 'readers' | 'papers'>, readerId: string): Promise<ReaderProfile> {
  const [library, feedback, follows] = await Promise.all([store.readers.library(readerId), store.readers.feedback(readerId), store.readers.follows(readerId)]);
  const texts = await store.papers.texts(feedback.map((f) => f.paperId));
  const valuesOf = (kind: string) => follows.filter((f) => f.kind === kind).map((f) => f.value);
  return {
    library: library.map((item) => ({ id: item.itemId, title: item.title, abstract: item.abstract, year: item.year, added: item.addedAt })),
    feedback: feedback.flatMap((f) => {
      const text = texts.get(f.paperId);
      return text ? [{ paper: { id: f.paperId, title: text.title, abstract: text.abstract }, signal: f.signal }] : [];
    }),
    follows: {
      // A followed author is kept by profile id, which is also how candidates name their authors.
      authors: follows.filter((f) => f.kind === 'author').map((f) => ({ key: f.value, name: f.name ?? `author ${f.value}` })),
      topics: valuesOf('topic'),
      categories: valuesOf('category'),
    },
    keywords: { include: valuesOf('include'), exclude: valuesOf('exclude') },
  };
}
