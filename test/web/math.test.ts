import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { plainMath, splitMath, texToMathml } from '../../src/web/math.tsx';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';
import { bundledPapers, samplePapers } from '../helpers/snapshot.ts';

const MATH_IN_TITLE = /\$[^$]+\$/;

test('inline TeX is found the way authors write it; prices and escaped dollars stay text', () => {
  assert.deepEqual(splitMath('SP$^3$: Spherical Priors'), [
    { kind: 'text', text: 'SP' },
    { kind: 'math', tex: '^3' },
    { kind: 'text', text: ': Spherical Priors' },
  ]);
  assert.deepEqual(splitMath('$φ$-Scene'), [
    { kind: 'math', tex: 'φ' },
    { kind: 'text', text: '-Scene' },
  ]);
  assert.deepEqual(splitMath('costs $5 to $10 per run'), [{ kind: 'text', text: 'costs $5 to $10 per run' }]);
  assert.deepEqual(splitMath('from 17.7K to $ 20K$'), [{ kind: 'text', text: 'from 17.7K to $ 20K$' }]);
  assert.deepEqual(splitMath('a \\$5 fee and $x$'), [
    { kind: 'text', text: 'a \\$5 fee and ' },
    { kind: 'math', tex: 'x' },
  ]);
  assert.deepEqual(splitMath('display $$x^2$$ too'), [
    { kind: 'text', text: 'display ' },
    { kind: 'math', tex: 'x^2' },
    { kind: 'text', text: ' too' },
  ]);
  assert.equal(plainMath('Proof of $K_8(4, 2) = 23$'), 'Proof of K_8(4, 2) = 23');
});

test('every snapshot title with math is typeset as MathML, with the TeX kept as its annotation', async () => {
  const titles = (await bundledPapers()).map((p) => p.record.title).filter((t) => MATH_IN_TITLE.test(t));
  assert.ok(titles.length >= 10, `${titles.length} real titles with math`);
  for (const title of titles) {
    for (const part of splitMath(title)) {
      if (part.kind !== 'math') continue;
      const mathml = texToMathml(part.tex);
      assert.ok(mathml !== null, `${JSON.stringify(part.tex)} of "${title}" typesets`);
      assert.match(mathml, /^<span class="katex"><math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML">/);
      // The strict CSP refuses style attributes: the markup must not need any.
      assert.ok(!/\sstyle=/.test(mathml), `no inline style for ${part.tex}`);
    }
  }
  assert.match(texToMathml('{\\mathbb R}^{12}')!, /<msup><mi mathvariant="double-struck">R<\/mi><mn>12<\/mn><\/msup>/);
  assert.match(texToMathml('\\mathbb{F}_q \\times (\\mathbb{F}_q+v\\mathbb{F}_q)')!, /<mo>×<\/mo>/);
  assert.match(texToMathml('k\\le n')!, /<mo>≤<\/mo>/);
  assert.match(texToMathml('\\alpha^2')!, /<msup><mi>α<\/mi><mn>2<\/mn><\/msup>/);
});

test('TeX that would link, colour or inject, or that KaTeX cannot read, is not typeset', () => {
  for (const tex of ['\\href{javascript:alert(1)}{x}', '\\url{https://example.org}', '\\htmlStyle{color:red}{x}', '\\textcolor{red}{x}', '\\includegraphics{x.png}', '\\PPAD', '\\frac{1}{']) {
    assert.equal(texToMathml(tex), null, tex);
  }
  // Markup inside math is math: every character is escaped by KaTeX.
  const mathml = texToMathml('a <img src=x onerror=alert(1)> b')!;
  assert.ok(!mathml.includes('<img'), mathml);
  assert.ok(mathml.includes('&lt;'), 'the < is an escaped operator');
  assert.ok(mathml.includes('<annotation encoding="application/x-tex">a &lt;img src=x onerror=alert(1)&gt; b</annotation>'));
});

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let mathPapers: Awaited<ReturnType<typeof bundledPapers>>;

before(async () => {
  const sample = new Set((await samplePapers(10)).map((p) => p.record.id));
  mathPapers = (await bundledPapers()).filter((p) => MATH_IN_TITLE.test(p.record.title) && !sample.has(p.record.id));
  prepared = await startPreparedServer(10, {}, mathPapers);
});
after(() => prepared?.close());

test('paper pages and search results typeset real titles; the document title keeps plain TeX', async () => {
  const paper = mathPapers.find((p) => p.record.title.startsWith('SP$^3$'))!;
  const html = await (await fetch(`${prepared.server.url}/papers/${paper.record.id}`)).text();
  const h1 = html.match(/<h1>([\s\S]*?)<\/h1>/)![1]!;
  assert.match(h1, /^\s*SP<span class="katex"><math [^>]*><semantics><mrow><msup><mrow><\/mrow><mn>3<\/mn><\/msup>/);
  assert.ok(!h1.includes('$'), 'no dollar left in the heading');
  assert.match(html, /<title>SP\^3: Spherical Priors/);
  const search = await (await fetch(`${prepared.server.url}/search?q=${encodeURIComponent('Lean-Certified Proof')}`)).text();
  assert.match(search, /<annotation encoding="application\/x-tex">K_8\(4, 2\) = 23<\/annotation>/);
});

test('math mixed with markup in a hostile abstract: typeset or shown as written, never markup', async () => {
  const html = await (await fetch(`${prepared.server.url}/papers/${HOSTILE_PAPER.record.id}`)).text();
  const abstract = html.match(/<p class="abstract">([\s\S]*?)<\/p>/)![1]!;
  assert.ok(!/<img|<script/i.test(abstract), abstract);
  assert.match(abstract, /<annotation encoding="application\/x-tex">\\mathcal\{L\}_\{&lt;img src=x onerror=alert\(5\)&gt;\}<\/annotation>/);
  assert.ok(abstract.includes('<span class="tex">$\\evil &lt;script&gt;alert(6)&lt;/script&gt;$</span> stays text.'), abstract);
});
