import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  InsufficientSourceTextError,
  paperSummarySchema,
  type PaperSummary,
  type SummaryInput,
} from '../../src/summarize/engine.ts';
import { TAXONOMY } from '../../src/domain/taxonomy.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const listingPath = path.resolve(repoRoot, 'test/fixtures/recorded/listings/2026-06-18.jsonl');
const fixturePath = path.resolve(repoRoot, 'test/fixtures/abstracts.json');

interface FixtureAbstract {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  comment: string | null;
}

interface ListingRecord {
  id: string;
  title: string;
  summary: string;
  categories: string[];
  comment: string | null;
}

const fixtures = (JSON.parse(readFileSync(fixturePath, 'utf8')) as { abstracts: FixtureAbstract[] }).abstracts;

function toInput(paper: FixtureAbstract): SummaryInput {
  return {
    id: paper.id,
    version: 1,
    title: paper.title,
    abstract: paper.abstract,
    categories: paper.categories,
    comment: paper.comment,
  };
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();
const withoutFinalPunctuation = (text: string): string => normalise(text).replace(/[.!?…]+$/, '');

/**
 * Whether a piece of output is abstract text: verbatim after whitespace normalisation, minus its
 * final punctuation. A clause lifted out of a sentence may have had its first letter capitalised.
 */
function occursInAbstract(piece: string, abstract: string): boolean {
  const body = withoutFinalPunctuation(piece);
  const source = normalise(abstract);
  if (body === '') return false;
  if (source.includes(body)) return true;
  const decapitalised = body.charAt(0).toLowerCase() + body.slice(1);
  return source.includes(decapitalised);
}

/** Sections are made of whole abstract sentences (or clean prefixes): check each piece. */
function sectionPieces(section: string): string[] {
  return normalise(section)
    .split(/(?<=[.!?])\s+/)
    .filter((piece) => piece !== '');
}

const wordCount = (text: string): number => normalise(text).split(' ').filter(Boolean).length;

function assertGroundedSummary(summary: PaperSummary, abstract: string, id: string): void {
  paperSummarySchema.parse(summary);
  assert.equal(summary.highlights.length, 4, `${id}: exactly 4 highlights`);
  assert.equal(
    new Set(summary.highlights.map((highlight) => withoutFinalPunctuation(highlight).toLowerCase())).size,
    4,
    `${id}: highlights are distinct`,
  );
  for (const highlight of summary.highlights) {
    assert.ok(highlight.trim() !== '', `${id}: empty highlight`);
    assert.match(highlight, /[.!?…]['")\]”’]*$/, `${id}: highlight ends with terminal punctuation`);
    assert.ok(occursInAbstract(highlight, abstract), `${id}: highlight not in abstract: ${highlight}`);
  }
  assert.ok(occursInAbstract(summary.tldr, abstract), `${id}: tldr not in abstract: ${summary.tldr}`);
  assert.ok(summary.tags.length >= 1 && summary.tags.length <= 4, `${id}: 1-4 tags`);
  for (const tag of summary.tags) assert.ok((TAXONOMY as readonly string[]).includes(tag), `${id}: ${tag}`);
  for (const [name, section] of Object.entries(summary.sections)) {
    assert.ok(section.trim() !== '', `${id}: empty ${name}`);
    for (const piece of sectionPieces(section)) {
      assert.ok(occursInAbstract(piece, abstract), `${id}: ${name} piece not in abstract: ${piece}`);
    }
  }
  for (const highlight of summary.highlights) {
    assert.ok(wordCount(highlight) <= 24, `${id}: highlight over 24 words: ${highlight}`);
  }
  assert.ok(wordCount(summary.tldr) <= 30, `${id}: TL;DR over 30 words`);
  for (const name of ['methodology', 'results', 'implications'] as const) {
    const sentences = sectionPieces(summary.sections[name]).length;
    assert.ok(sentences >= 1, `${id}: ${name} has at least one sentence`);
  }
}

test('describes itself as the offline extractive engine', () => {
  assert.deepEqual(createOfflineEngine().descriptor, {
    engine: 'offline',
    model: 'extractive-v1',
    promptVersion: 'offline-3',
  });
});

test('summarises every fixture abstract with four highlights taken from the abstract', async () => {
  const engine = createOfflineEngine();
  assert.ok(fixtures.length >= 6);
  for (const paper of fixtures) {
    const summary = await engine.summarize(toInput(paper));
    assertGroundedSummary(summary, paper.abstract, paper.id);
  }
});

test('uses the whole abstract as the summary paragraph when it is under 200 words', async () => {
  const engine = createOfflineEngine();
  for (const paper of fixtures) {
    const summary = await engine.summarize(toInput(paper));
    assert.equal(summary.sections.summary, normalise(paper.abstract), paper.id);
  }
});

test('picks the contribution, method, result and implication sentences of a typical abstract', async () => {
  const paper = fixtures.find((fixture) => fixture.id === '2606.16825');
  assert.ok(paper !== undefined);
  const summary = await createOfflineEngine().summarize(toInput(paper));
  assert.equal(summary.tldr, 'To address this, we introduce Expert Tying.');
  // The first highlight is a line of the same sentence, without its "To address this," lead-in.
  assert.match(summary.highlights[0] ?? '', /^We introduce Expert Tying\b/);
  // The finding without its "experiments demonstrate that" frame.
  assert.ok(
    summary.highlights.includes(
      'Tying experts can reduce memory footprint by almost 2x at virtually no degradation in perplexity or downstream quality.',
    ),
  );
  // The fourth highlight is the problem the paper addresses.
  assert.match(summary.highlights[3] ?? '', /^Mixture-of-Experts \(MoE\) architectures efficiently scale/);
  assert.match(summary.sections.methodology, /^We introduce Expert Tying\b/);
  // Results: one line of what was run, then the main finding whole.
  assert.equal(
    summary.sections.results,
    'We evaluate this approach across common, state-of-the-art architectures. Our pretraining experiments demonstrate that tying experts can reduce memory footprint by almost 2x at virtually no degradation in perplexity or downstream quality.',
  );
  assert.deepEqual(summary.tags, ['Large Language Models', 'Efficient ML', 'NLP']);
});

test('never uses a code-availability sentence as a highlight when others exist', async () => {
  const engine = createOfflineEngine();
  for (const paper of fixtures.filter((fixture) => fixture.abstract.includes('https://'))) {
    const summary = await engine.summarize(toInput(paper));
    for (const highlight of summary.highlights) assert.ok(!highlight.includes('https://'), highlight);
  }
});

test('splits a two-sentence abstract into four clean clause highlights', async () => {
  const paper = fixtures.find((fixture) => fixture.id === '2606.22701');
  assert.ok(paper !== undefined);
  const summary = await createOfflineEngine().summarize(toInput(paper));
  assertGroundedSummary(summary, paper.abstract, paper.id);
  for (const highlight of summary.highlights) {
    assert.match(highlight, /^\p{Lu}/u, `capitalised: ${highlight}`);
    assert.ok(highlight.endsWith('.'), highlight);
  }
  assert.deepEqual(summary.tags, ['Theory']);
});

test('refuses to summarise an empty or near-empty abstract', async () => {
  const engine = createOfflineEngine();
  const paper = { id: '2606.00001', version: 1, title: 'Nothing', categories: ['cs.LG'], comment: null };
  await assert.rejects(engine.summarize({ ...paper, abstract: '' }), InsufficientSourceTextError);
  await assert.rejects(engine.summarize({ ...paper, abstract: '   \n  ' }), InsufficientSourceTextError);
  await assert.rejects(
    engine.summarize({ ...paper, abstract: 'We propose a method that works well.' }),
    InsufficientSourceTextError,
  );
});

test('is deterministic: the same input gives the identical summary', async () => {
  const engine = createOfflineEngine();
  for (const paper of fixtures) {
    const first = await engine.summarize(toInput(paper));
    const second = await createOfflineEngine().summarize(toInput(paper));
    assert.deepEqual(second, first, paper.id);
  }
});

test('every paper of the 2026-06-18 listing gets a valid, grounded summary', async () => {
  const records = readFileSync(listingPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ListingRecord);
  assert.ok(records.length > 100, `expected a full listing, got ${records.length}`);
  const engine = createOfflineEngine();
  const summaries: Array<[ListingRecord, PaperSummary]> = [];
  const started = performance.now();
  for (const record of records) {
    const summary = await engine.summarize({
      id: record.id,
      version: 1,
      title: record.title,
      abstract: record.summary,
      categories: record.categories,
      comment: record.comment,
    });
    summaries.push([record, summary]);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `offline engine: ${records.length} papers in ${seconds.toFixed(2)} s (${Math.round(records.length / seconds)} papers/s)`,
  );

  // The method and problem highlights (slots 2 and 4) are capped at 14 words, so at least half of
  // all highlights are that short and the median stays within the one-line target by construction.
  const lengths = summaries.flatMap(([, summary]) => summary.highlights.map(wordCount)).sort((a, b) => a - b);
  for (const [record, summary] of summaries) {
    for (const slot of [1, 3]) assert.ok(wordCount(summary.highlights[slot] ?? '') <= 14, `${record.id}: ${summary.highlights[slot]}`);
  }
  assert.ok((lengths[Math.floor(lengths.length / 2)] ?? 99) <= 14, `median highlight ${lengths[Math.floor(lengths.length / 2)]} words`);
  for (const [record, summary] of summaries) {
    assertGroundedSummary(summary, record.summary, record.id);
    const abstractWords = wordCount(record.summary);
    const summaryWords = wordCount(summary.sections.summary);
    // 120-200 words, or the whole abstract when it is shorter; an abstract that is one
    // unpunctuated run-on "sentence" cannot be cut cleanly and comes back whole.
    if (abstractWords <= 200) {
      assert.equal(summary.sections.summary, normalise(record.summary), record.id);
    } else {
      assert.ok(summaryWords >= 120, `${record.id}: summary has ${summaryWords} words`);
      const runOn = !/[.!?]\s/.test(normalise(record.summary));
      assert.ok(summaryWords <= 200 || runOn, `${record.id}: summary has ${summaryWords} words`);
    }
  }
});
