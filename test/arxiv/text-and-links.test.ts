import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectCodeLinks } from '../../src/arxiv/code-links.ts';
import { parseArxivId } from '../../src/arxiv/ids.ts';
import { toDisplayText } from '../../src/arxiv/text.ts';

test('display text collapses arXiv hard wraps and shows simple TeX as Unicode', () => {
  assert.equal(toDisplayText('Video diffusion\n  models at more than 4$\\times$ real-time'), 'Video diffusion models at more than 4× real-time');
  assert.equal(toDisplayText('an $\\alpha$-entmax layer with $\\epsilon \\leq 0.1$'), 'an α-entmax layer with ε ≤ 0.1');
  assert.equal(toDisplayText('Schr\\"odinger and Pe\\~na'), 'Schrödinger and Peña');
  assert.equal(toDisplayText('\\emph{Sparse} attention --- fast'), 'Sparse attention — fast');
  assert.equal(toDisplayText('a competitive 32.8\\% mAP for R\\&D'), 'a competitive 32.8% mAP for R&D');
});

test('math too complex for plain text keeps its TeX for a renderer', () => {
  assert.equal(toDisplayText('bounds of $\\Theta(N d_{model} L)$ regions'), 'bounds of $\\Theta(N d_{model} L)$ regions');
});

test('hostile markup in titles stays text (escaping is the renderer\'s job, nothing is stripped or executed here)', () => {
  assert.equal(toDisplayText('<script>alert(1)</script> and <b>bold</b>'), '<script>alert(1)</script> and <b>bold</b>');
});

test('code links are found in comments and abstracts, with where they were found', () => {
  const links = detectCodeLinks(
    'Accepted at ICML 2026. Code: https://github.com/org/repo. Project page: https://susunghong.github.io/DiffusionBrowser',
    'We release models at https://huggingface.co/org/model, see also https://example.org/paper.pdf and https://github.com/org/repo.',
  );
  assert.deepEqual(links, [
    { url: 'https://github.com/org/repo', foundIn: 'comment' },
    { url: 'https://susunghong.github.io/DiffusionBrowser', foundIn: 'comment' },
    { url: 'https://huggingface.co/org/model', foundIn: 'abstract' },
  ]);
  assert.deepEqual(detectCodeLinks(null, 'No links here, only https://arxiv.org/abs/2401.00001.'), []);
});

test('arXiv ids of both styles parse, with or without a version', () => {
  assert.deepEqual(parseArxivId('2606.14721'), { id: '2606.14721', version: null });
  assert.deepEqual(parseArxivId('arXiv:2104.12255v3'), { id: '2104.12255', version: 3 });
  assert.deepEqual(parseArxivId('hep-th/9901001v2'), { id: 'hep-th/9901001', version: 2 });
  assert.deepEqual(parseArxivId('math.GT/0309136'), { id: 'math.GT/0309136', version: null });
  for (const bad of ['', 'abc', '0808.05394x', '../etc/passwd', '2606.14721v', '<script>']) assert.equal(parseArxivId(bad), null, bad);
});
