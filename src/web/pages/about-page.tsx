import { DIGEST_FEEDS } from '../feeds/links.ts';
import { SubscribeLinks } from '../feeds/subscribe.tsx';
import { formatCount } from '../format.ts';
import { Layout } from '../layout.tsx';

export interface AboutFacts {
  categories: string[];
  digestSize: number;
  historyDays: number;
  /** Hours between passes, or null for a cron schedule (then `schedule` says it). */
  updateFrequencyHours: number | null;
  schedule: string;
  engine: { engine: string; model: string };
  papers: number;
}

/** /about: what papersift is, what it reads and how often, and every way in (pages, feeds, API). */
export function AboutPage({ facts }: { facts: AboutFacts }) {
  const offline = facts.engine.engine === 'offline';
  return (
    <Layout title="About papersift — papersift" description="What papersift reads, how it selects and summarises papers, and its feeds and API." feeds={DIGEST_FEEDS}>
      <article class="about">
        <h1>About papersift</h1>
        <p>
          papersift reads every new paper that arXiv announces in the categories it follows, scores each one, keeps the{' '}
          {formatCount(facts.digestSize)} worth your time each announcement day and summarises them in four highlights and four
          short sections. It holds {formatCount(facts.papers)} papers now.
        </p>
        <h2>What it reads, and how often</h2>
        <ul>
          <li>
            Categories: <span data-field="categories">{facts.categories.join(', ')}</span> (primary listings and cross-lists).
          </li>
          <li>
            Updates: {facts.updateFrequencyHours === null ? `on the schedule ${facts.schedule}` : `every ${facts.updateFrequencyHours} hours`}; arXiv
            announces new papers at 20:00 US Eastern time, Sunday to Thursday.
          </li>
          <li>History: the digests of the last {facts.historyDays} announcement days can be browsed from the day navigation.</li>
          <li>
            Summaries: {offline ? "papersift's offline extractive summariser, which quotes the abstract's own sentences" : `${facts.engine.engine} (${facts.engine.model}), checked against the paper's text`}; every summary says which engine wrote it.
          </li>
        </ul>
        <h2>How papers are chosen</h2>
        <p>
          Each paper gets a Novelty % (how far it is from the papers before it) and an AI Score (how useful it looks), and the
          digest takes the best by both, with no topic taking more than its share. <a href="/about/scores">How the scores and the selection work</a>, with
          every constant.
        </p>
        <h2>Ways in</h2>
        <ul>
          <li>
            <a href="/">The latest digest</a>, filterable by topic, with <a href="/search">full-text search</a> over titles, abstracts, authors and
            summaries.
          </li>
          <li>
            Feeds of the digest, of each topic (from a filtered digest), of each researcher (on their profile) and of any search, as RSS, Atom and
            JSON Feed.
          </li>
          <li>
            A JSON API with the data of every page: <a href="/api/v1/digest">/api/v1/digest</a>, described by{' '}
            <a href="/api/v1/openapi.json">its OpenAPI document</a>.
          </li>
        </ul>
        <SubscribeLinks feeds={DIGEST_FEEDS} label="Subscribe to the digest" />
        <h2>Sources</h2>
        <p>
          Paper metadata comes from arXiv (CC0); researcher profiles add figures from Semantic Scholar and OpenAlex, each labelled with its
          source and date. Papers stay with their authors: every page links to the paper on arXiv.
        </p>
      </article>
    </Layout>
  );
}
