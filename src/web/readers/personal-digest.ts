import { loadPaperDetails, toCard, type PaperCard } from '../../digest/cards.ts';
import { DigestNotFoundError } from '../../digest/digest-query.ts';
import { SCORING_METHOD } from '../../domain/scoring.ts';
import type { AppContext } from '../../pipeline/context.ts';
import { PersonalRanking, readerProfile } from '../../pipeline/personal-digest.ts';

export interface PersonalCard extends PaperCard {
  personal: { score: number; why: string };
}

export interface PersonalDigest {
  date: string;
  /** Every paper of the day that passes the reader's rules, best first. */
  papers: PersonalCard[];
}

/**
 * A reader's digest of an announcement day (the latest in the browsable history by default), for the
 * API, the personal feeds and /me. One per web app: it keeps each day's cards and features for every
 * reader until the store changes.
 */
export function personalDigests(ctx: Pick<AppContext, 'store' | 'config'>) {
  const ranking = new PersonalRanking<Map<string, PaperCard>>();
  return async (readerId: string, requested?: string): Promise<PersonalDigest> => {
    const days = await ctx.store.digests.historyWindow(ctx.config.historyDays);
    const date = requested ?? days[0];
    if (date === undefined || !days.includes(date)) throw new DigestNotFoundError(date ?? '', days);
    const prepared = await ranking.prepared(date, await ctx.store.generation(), async () => {
      const ids = (await ctx.store.dayLists.papersOf(date, ctx.config.categories, SCORING_METHOD)).map((row) => row.id);
      const details = await loadPaperDetails(ctx.store, ids);
      return {
        candidates: details.map((detail) => ({
          id: detail.id,
          title: detail.title,
          abstract: detail.abstract,
          authors: detail.authors.map((a) => ({ key: String(a.id), name: a.name })),
          categories: detail.categories,
          topics: detail.tags,
        })),
        attached: new Map(details.map((detail) => [detail.id, toCard(detail)])),
      };
    });
    const picks = ranking.rank(prepared, await readerProfile(ctx.store, readerId));
    return { date, papers: picks.map((pick) => ({ ...prepared.attached.get(pick.id)!, personal: { score: pick.score, why: pick.why } })) };
  };
}

export type PersonalDigests = ReturnType<typeof personalDigests>;
