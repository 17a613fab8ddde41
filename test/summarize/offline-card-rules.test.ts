import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCardRules, countWords } from '../../src/summarize/card-rules.ts';
import { InsufficientSourceTextError } from '../../src/summarize/engine.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { splitSentences } from '../../src/summarize/sentences.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const listingPath = path.resolve(repoRoot, 'test/fixtures/recorded/listings/2026-06-18.jsonl');
const fixturePath = path.resolve(repoRoot, 'test/fixtures/abstracts.json');

interface Paper {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
}

function papers(): Paper[] {
  const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { abstracts: Paper[] };
  const listing = readFileSync(listingPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { id: string; title: string; summary: string; categories?: string[] })
    .map((r) => ({ id: r.id, title: r.title, abstract: r.summary, categories: r.categories ?? [] }));
  return [...fixture.abstracts, ...listing];
}

test('every offline card passes the card rules (real abstracts from the fixtures)', async () => {
  const engine = createOfflineEngine();
  const all = papers();
  assert.ok(all.length >= 30, `expected at least 30 abstracts, got ${all.length}`);
  let checked = 0;
  const failures: string[] = [];
  for (const paper of all) {
    let card;
    try {
      card = await engine.summarize({ ...paper, version: 1, comment: null });
    } catch (error) {
      if (error instanceof InsufficientSourceTextError) continue;
      throw error;
    }
    checked++;
    const problems = checkCardRules(card, {
      sourceWords: countWords(paper.abstract),
      extractiveSourceSentences: splitSentences(paper.abstract).length,
    });
    if (problems.length > 0) failures.push(`${paper.id}: ${problems.join('; ')}`);
  }
  assert.ok(checked >= 30, `only ${checked} cards were written`);
  assert.deepEqual(failures, []);
});

test('the extractive allowance applies only when asked for: LLM cards still need 2-4 sentences per section', () => {
  const card = {
    tldr: 'A short TL;DR.',
    tags: ['NLP'],
    highlights: ['One.', 'Two.', 'Three.', 'Four.'],
    sections: { summary: 'Short.', methodology: 'One sentence.', results: 'One sentence.', implications: 'One sentence.' },
  } as Parameters<typeof checkCardRules>[0];
  assert.ok(checkCardRules(card, { sourceWords: 1 }).some((p) => p.startsWith('sections.results: 1 sentences; 2 to 4')));
  assert.ok(!checkCardRules(card, { sourceWords: 1, extractiveSourceSentences: 1 }).some((p) => p.startsWith('sections.results')));
});
