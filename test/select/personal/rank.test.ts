import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PreparedDay } from '../../../src/select/personal/prepared-day.ts';
import { rankForReader, recencyWeights } from '../../../src/select/personal/rank.ts';
import { keywordMatcher, REASON_LIFT } from '../../../src/select/personal/rules.ts';
import { FeatureSpace, sparseDot, terms } from '../../../src/select/personal/text-features.ts';
import type { CandidatePaper, LibraryPaper, ReaderProfile } from '../../../src/select/personal/types.ts';

// A small day: a few papers on each of three subjects, so a reader's library points at one of them.
const day: CandidatePaper[] = [
  { id: 'd1', title: 'Faster sampling for diffusion models', abstract: 'We speed up denoising diffusion sampling with a learned ODE solver for image generation.' },
  { id: 'd2', title: 'Diffusion models for video generation', abstract: 'A latent diffusion model generates video frames with temporal attention and denoising.' },
  { id: 'd3', title: 'Guidance in score-based diffusion', abstract: 'Classifier-free guidance for score-based diffusion generative models of images.' },
  { id: 'r1', title: 'Offline reinforcement learning with conservative critics', abstract: 'Conservative Q-learning for offline reinforcement learning from logged data in robotics.' },
  { id: 'r2', title: 'Reward shaping for robot manipulation', abstract: 'Policy gradient reinforcement learning for robot manipulation with dense reward shaping.' },
  { id: 'r3', title: 'Exploration bonuses in deep reinforcement learning', abstract: 'Curiosity-driven exploration for sparse reward reinforcement learning agents.' },
  {
    id: 'l1',
    title: 'Instruction tuning of large language models',
    abstract: 'We fine-tune large language models on instructions and evaluate on reasoning benchmarks.',
    authors: [{ key: 'a-42', name: 'Ada Lovelace' }],
    categories: ['cs.CL'],
    topics: ['LLMs'],
  },
  { id: 'l2', title: 'Retrieval-augmented language models for question answering', abstract: 'Language models retrieve passages to answer open-domain questions with fewer hallucinations.', categories: ['cs.CL'] },
  { id: 'l3', title: 'Scaling laws for language model pretraining', abstract: 'Loss of pretrained language models follows a power law in data and parameters.', categories: ['cs.LG'] },
];

const diffusionLibrary: LibraryPaper[] = [
  { id: 'lib-1', title: 'Denoising diffusion probabilistic models', abstract: 'Diffusion models generate images by reversing a gradual noising process.', added: '2026-05-01' },
  { id: 'lib-2', title: 'Score-based generative modeling through SDEs', abstract: 'Score matching and stochastic differential equations for image generation with diffusion.', added: '2026-04-01' },
  { id: 'lib-3', title: 'High-resolution image synthesis with latent diffusion', abstract: 'Latent diffusion models for image synthesis.', added: '2026-03-01' },
  { id: 'lib-4', title: 'Image generation with diffusion transformers', abstract: 'Transformers as the backbone of diffusion models for images.', added: '2026-02-01' },
  { id: 'lib-5', title: 'Video diffusion models', abstract: 'Diffusion models extended to video generation.', added: '2026-01-01' },
];

const rlLibrary: LibraryPaper[] = [
  { id: 'lib-r1', title: 'Proximal policy optimization algorithms', abstract: 'Policy gradient methods for reinforcement learning with clipped objectives.' },
  { id: 'lib-r2', title: 'Conservative Q-learning for offline reinforcement learning', abstract: 'Offline reinforcement learning with conservative value estimates.' },
  { id: 'lib-r3', title: 'Curiosity-driven exploration by self-supervised prediction', abstract: 'Exploration in reinforcement learning with an intrinsic curiosity reward.' },
  { id: 'lib-r4', title: 'Learning dexterous robot manipulation', abstract: 'Reinforcement learning for robot hands with reward shaping.' },
  { id: 'lib-r5', title: 'Deep Q-networks play Atari', abstract: 'Deep reinforcement learning agents learn from pixels and reward.' },
];

const prepared = new PreparedDay(day);
const top = (reader: ReaderProfile, k = 3): string[] => rankForReader(prepared, reader).slice(0, k).map((p) => p.id).sort();

test('text features: stems and adjacent pairs; cosine of a paper with itself is 1, with an unrelated one 0', () => {
  assert.deepEqual(terms('Graph Neural Networks'), ['graph', 'neural', 'network', 'graph neural', 'neural network']);
  const space = new FeatureSpace(day.map((p) => terms(`${p.title} ${p.abstract}`)));
  const a = space.vector(day[0]!);
  assert.ok(Math.abs(sparseDot(a, a) - 1) < 1e-6);
  assert.equal(sparseDot(space.vector(day[2]!), space.vector(day[3]!)), 0, 'no shared term');
});

test('background texts count for document frequencies only', () => {
  const withBackground = new PreparedDay(day, { background: [{ title: 'Diffusion', abstract: 'diffusion diffusion' }, { title: 'More diffusion' }] });
  assert.equal(withBackground.space.documents, day.length + 2);
  assert.equal(withBackground.candidates.length, day.length);
  const diffusion = (p: PreparedDay) => p.space.idf[p.space.ids.get('diffus')!]!;
  assert.ok(diffusion(withBackground) < diffusion(prepared), 'a word common in the background weighs less');
});

test('two readers whose libraries differ get different picks, each with the library paper it resembles', () => {
  assert.deepEqual(top({ library: diffusionLibrary }), ['d1', 'd2', 'd3']);
  assert.deepEqual(top({ library: rlLibrary }), ['r1', 'r2', 'r3']);
  const r1 = rankForReader(prepared, { library: rlLibrary }).find((p) => p.id === 'r1');
  assert.equal(r1!.why, 'similar to "Conservative Q-learning for offline reinforcement learning"');
});

test('every candidate comes back once, best first, with a reason, and the ranking is deterministic', () => {
  const picks = rankForReader(prepared, { library: diffusionLibrary });
  assert.deepEqual(picks.map((p) => p.id).sort(), day.map((p) => p.id).sort());
  for (let i = 1; i < picks.length; i += 1) assert.ok(picks[i - 1]!.score >= picks[i]!.score);
  for (const pick of picks) assert.ok(pick.why.length > 0);
  assert.deepEqual(rankForReader(new PreparedDay(day), { library: diffusionLibrary }), picks);
});

test('an empty library still ranks every candidate and says why', () => {
  const picks = rankForReader(prepared, { library: [] });
  assert.equal(picks.length, day.length);
  assert.match(picks[0]!.why, /nothing in your library is close/);
});

test('recent additions weigh more; without dates every paper weighs the same', () => {
  const weights = recencyWeights([
    { id: 'old', title: 'x', added: '2020-01-01' },
    { id: 'new', title: 'y', added: '2026-01-01' },
    { id: 'undated', title: 'z' },
  ]);
  assert.equal(weights[1], 1);
  assert.ok(weights[0]! < 1 && weights[2]! < weights[0]!);
  assert.deepEqual([...recencyWeights([{ id: 'a', title: 'a' }, { id: 'b', title: 'b' }])], [1, 1]);
  // A mixed library: the recent diffusion paper decides over older RL ones.
  const mixed: LibraryPaper[] = [
    ...rlLibrary.map((p, i) => ({ ...p, added: `2025-0${i + 1}-01` })),
    { ...diffusionLibrary[0]!, added: '2026-06-01' },
    { ...diffusionLibrary[1]!, added: '2026-06-02' },
    { ...diffusionLibrary[2]!, added: '2026-06-03' },
  ];
  const undated = mixed.map(({ added: _added, ...p }) => p);
  const score = (library: LibraryPaper[], id: string) => rankForReader(prepared, { library }).find((p) => p.id === id)!.score;
  for (const id of ['d1', 'd2', 'd3']) assert.ok(score(mixed, id) > score(undated, id) + 0.1, `${id}: a recent subject counts more`);
});

test('feedback changes the next ranking: "not interested" removes a paper and pushes its like down; saves pull theirs up', () => {
  const reader: ReaderProfile = { library: diffusionLibrary };
  const before = rankForReader(prepared, reader);
  const after = rankForReader(prepared, {
    ...reader,
    feedback: [
      { signal: 'not-interested', paper: day[1]! },
      { signal: 'save', paper: { id: 'saved-1', title: 'Retrieval for language models', abstract: 'Language models retrieve passages to answer questions.' } },
      { signal: 'save', paper: { id: 'saved-2', title: 'Question answering with language models', abstract: 'Open-domain question answering.' } },
    ],
  });
  assert.ok(before.some((p) => p.id === 'd2'));
  assert.ok(!after.some((p) => p.id === 'd2'), 'not interested: gone');
  const position = (picks: typeof before, id: string) => picks.findIndex((p) => p.id === id);
  assert.ok(position(after, 'l2') < position(before, 'l2'), 'a saved subject moves up');
  assert.match(after.find((p) => p.id === 'l2')!.why, /^similar to "(Retrieval for|Question answering with) language models"$/);
});

test('follows and include rules lift a paper and name the reason; exclude rules hide it', () => {
  const picks = rankForReader(prepared, {
    library: rlLibrary,
    follows: { authors: [{ key: 'a-42', name: 'Ada Lovelace' }], topics: ['llms'], categories: ['cs.CL'] },
    keywords: { include: ['diffusion'], exclude: ['scaling laws'] },
  });
  assert.equal(picks[0]!.id, 'l1');
  assert.match(picks[0]!.why, /^by Ada Lovelace; about LLMs; in cs\.CL/);
  assert.ok(!picks.some((p) => p.id === 'l3'), 'excluded by a rule');
  const d1 = picks.find((p) => p.id === 'd1')!;
  assert.match(d1.why, /^matches 'diffusion'/);
  // The same reader with only the include rule: the same papers kept, so the lift is the whole difference.
  const withoutRule = rankForReader(prepared, { library: rlLibrary });
  const withRule = rankForReader(prepared, { library: rlLibrary, keywords: { include: ['diffusion'] } });
  const d1Score = (list: typeof picks) => list.find((p) => p.id === 'd1')!.score;
  assert.ok(Math.abs(d1Score(withRule) - d1Score(withoutRule) - REASON_LIFT.keyword) < 1e-3);
  assert.equal(picks.find((p) => p.id === 'l2')!.why.startsWith('in cs.CL'), true);
});

test('keyword rules match whole words and phrases, case-insensitively', () => {
  const gan = keywordMatcher('GAN');
  assert.equal(gan('a gan for faces'), true);
  assert.equal(gan('organ transplants'), false);
  assert.equal(keywordMatcher('large language')('large-language models'), true);
  assert.equal(keywordMatcher('c++')('written in c++ today'), true);
  assert.equal(keywordMatcher('   ')('anything'), false);
});

test('a library paper among the candidates says so', () => {
  const withOwn = new PreparedDay([...day, { id: 'lib-1', title: diffusionLibrary[0]!.title, abstract: diffusionLibrary[0]!.abstract }]);
  const own = rankForReader(withOwn, { library: diffusionLibrary }).find((p) => p.id === 'lib-1')!;
  assert.equal(own.why, 'already in your library');
});

test('embeddings, when given, add their own similarity', () => {
  const unit = (x: number, y: number) => Float32Array.of(x / Math.hypot(x, y), y / Math.hypot(x, y));
  // The library looks like diffusion by text, but its embedding points at the RL papers.
  const withEmbeddings = new PreparedDay(day.map((p) => ({ ...p, embedding: p.id.startsWith('r') ? unit(0, 1) : unit(1, 0) })));
  const library = diffusionLibrary.map((p) => ({ ...p, embedding: unit(0, 1) }));
  const textOnly = rankForReader(withEmbeddings, { library: diffusionLibrary });
  const blended = rankForReader(withEmbeddings, { library });
  const position = (picks: typeof textOnly, id: string) => picks.findIndex((p) => p.id === id);
  assert.ok(position(blended, 'r1') < position(textOnly, 'r1'));
});
