/**
 * The citation formats, read back by independent parsers (citation-js for BibTeX and RIS, the
 * OpenAPI schema and citation-js for CSL-JSON): hostile titles and author names (braces, accents,
 * TeX, quotes, the BibTeX word "and", RIS tags) come back exactly as given.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatCitations } from '../../src/web/citations/formats.ts';
import { citationKey, type CitablePaper } from '../../src/web/citations/record.ts';
import { texEscape } from '../../src/web/citations/bibtex.ts';
import { joinName, splitName } from '../../src/web/citations/names.ts';
import { nameText, parseBibtex, parseCslJson, parseRis, type ParsedItem } from '../helpers/citation-parsers.ts';
import { fcParams } from '../hostile/settings.ts';

const HOSTILE_TITLES = [
  'On {braces} and }unbalanced{ braces',
  'Accents: Schrödinger, naïve, Ångström, Çağrı, Łukasz, 東京, Ελληνικά, emoji 🙂',
  'TeX: $\\alpha^2_{x}$, \\input{/etc/passwd}, \\def\\x{y}, \\\\, 100% & #1 ~ ^ _ $',
  'Quotes: "double", \'single\', \'\'two\'\', ``two``, “curly”, `back`, <angle> & ampersand',
  'Ligatures: a--b---c, ,,low, !`inverted ?`marks',
  'An entry @misc{injected, title={x}} and a comma, inside',
  'RIS: a title\nER  - \nTY  - JOUR with newlines\r\nand tabs\t!',
];
const HOSTILE_NAMES = ['Jürgen Schmidhuber', 'Ludwig van Beethoven', 'Martin Luther King Jr.', 'Tom and Jerry', 'ATLAS Collaboration', "O'Brien {Evil} \\relax Smith", 'Zoë Ça\u0301rdenas', 'José María de la Fuente', 'Plato', 'A. N. Other', 'Smith, John', '李 小龙'];

const paper = (over: Partial<CitablePaper> = {}): CitablePaper => ({
  id: '2606.14721',
  title: 'A title',
  authors: HOSTILE_NAMES.map((name, i) => ({ id: i + 1, name })),
  published: '2026-06-24T17:59:59Z',
  primaryCategory: 'cs.LG',
  categories: ['cs.LG', 'cs.CL'],
  abstract: 'An abstract, with {braces} and $x$.',
  doi: null,
  journalRef: null,
  comment: '12 pages, 3 figures',
  ...over,
});

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** What every parser must read back from a record: the title and every author name, exactly. */
function assertReadBack(item: ParsedItem | undefined, source: CitablePaper, format: string): void {
  assert.ok(item, `${format}: one item`);
  assert.equal(item.title, collapse(source.title), `${format}: the title`);
  // "Family, Given" comes back as "Given Family"; every other name as written.
  assert.deepEqual((item.author ?? []).map(nameText), source.authors.map((a) => joinName(splitName(a.name))), `${format}: the authors`);
}

test('hostile titles and author names come back exactly from BibTeX, RIS and CSL-JSON', () => {
  for (const title of HOSTILE_TITLES) {
    const source = paper({ title });
    assertReadBack(parseBibtex(formatCitations([source], 'bibtex'))[0], source, `BibTeX of ${JSON.stringify(title)}`);
    assertReadBack(parseRis(formatCitations([source], 'ris'))[0], source, `RIS of ${JSON.stringify(title)}`);
    assertReadBack(parseCslJson(formatCitations([source], 'csl-json'))[0], source, `CSL-JSON of ${JSON.stringify(title)}`);
  }
});

test('BibTeX: @misc with eprint, archivePrefix, primaryClass; @article and doi when known; braces balanced; no TeX command survives', () => {
  const preprint = formatCitations([paper({ title: HOSTILE_TITLES[2]! })], 'bibtex');
  assert.match(preprint, /^@misc\{[^,\s]+,\n/);
  assert.match(preprint, /\n {2}eprint = \{2606\.14721\},\n {2}archivePrefix = \{arXiv\},\n {2}primaryClass = \{cs\.LG\},/);
  assert.doesNotMatch(preprint, /doi =|journal =/);
  // Every backslash in the title starts one of the escapes, never the user's \input or \def.
  const title = /title = \{(.*)\},\n/.exec(preprint)![1]!;
  assert.deepEqual([...new Set(title.match(/\\[a-z]+/g))].sort(), ['\\textasciicircum', '\\textasciitilde', '\\textbackslash', '\\textbraceleft', '\\textbraceright'].sort());
  // As BibTeX counts them: every brace, escaped or not.
  let depth = 0;
  for (const c of preprint) {
    depth += c === '{' ? 1 : c === '}' ? -1 : 0;
    assert.ok(depth >= 0, 'braces never close more than they open');
  }
  assert.equal(depth, 0, 'braces balanced');

  const article = formatCitations([paper({ journalRef: 'Nature 600, 1-10 (2026) & more', doi: '10.1038/s41586-026-0001-x' })], 'bibtex');
  assert.match(article, /^@article\{/);
  assert.match(article, /journal = \{Nature 600, 1-10 \(2026\) \\&\{\} more\}/);
  assert.match(article, /doi = \{10\.1038\/s41586-026-0001-x\}/);
  const [parsed] = parseBibtex(article);
  assert.equal(parsed!.DOI, '10.1038/s41586-026-0001-x');
  assert.equal(parsed!['container-title'], 'Nature 600, 1-10 (2026) & more');
});

test('RIS: one record per paper, every value on one line, a newline in a title never starts a tag', () => {
  const text = formatCitations([paper({ title: HOSTILE_TITLES[5]! }), paper({ id: 'hep-th/9901001', published: '1999-01-05T00:00:00Z' })], 'ris');
  const records = parseRis(text);
  assert.equal(records.length, 2);
  const tags = text.split('\r\n').filter(Boolean).map((line) => line.slice(0, 6));
  assert.ok(tags.every((tag) => /^[A-Z][A-Z0-9] {2}- ?$/.test(tag)), `every line is a tag: ${tags.join('|')}`);
  assert.equal(tags.filter((tag) => tag.startsWith('TY')).length, 2);
  assert.equal(tags.filter((tag) => tag.startsWith('ER')).length, 2);
  assert.equal(records[1]!.URL, 'https://arxiv.org/abs/hep-th/9901001');
});

test('keys are stable, unique (the arXiv id is in them) and plain ASCII', () => {
  const a = paper();
  assert.equal(citationKey(a), 'schmidhuber2026_2606.14721');
  assert.equal(citationKey(a), citationKey({ ...a }));
  assert.equal(citationKey(paper({ id: 'hep-th/9901001', published: '1999-01-05' })), 'schmidhuber1999_hep-th_9901001');
  assert.equal(citationKey(paper({ authors: [{ id: 1, name: 'Çağrı Öztürk' }] })), 'ozturk2026_2606.14721');
  assert.equal(citationKey(paper({ authors: [] })), 'arxiv2026_2606.14721');
  const keys = ['2606.14721', '2606.14722', 'hep-th/9901001', 'math.AG/0101001'].map((id) => citationKey(paper({ id })));
  assert.equal(new Set(keys).size, keys.length);
  for (const key of keys) assert.match(key, /^[a-z]+\d{4}_[A-Za-z0-9._-]+$/);
  // The keys in each format agree.
  const papers = [paper(), paper({ id: '2606.14722' })];
  assert.deepEqual(parseBibtex(formatCitations(papers, 'bibtex')).map((i) => i.id), keys.slice(0, 2));
  assert.deepEqual(parseCslJson(formatCitations(papers, 'csl-json')).map((i) => i.id), keys.slice(0, 2));
});

test('texEscape: every special character escaped once, so the text typesets to itself', () => {
  assert.equal(texEscape('{}$&%#_^~\\<>'), '\\textbraceleft{}\\textbraceright{}\\${}\\&{}\\%{}\\#{}\\_{}\\textasciicircum{}\\textasciitilde{}\\textbackslash{}\\textless{}\\textgreater{}');
  assert.equal(texEscape('  two\n\nlines\u0000 '), 'two lines');
});

test('property: any title and author names (graphemes of every script, TeX specials) round-trip through BibTeX, RIS and CSL-JSON', () => {
  const special = fc.constantFrom('{', '}', '\\', '$', '&', '%', '#', '_', '^', '~', '"', "'", '`', '-', '!', '?', '<', '>', ',', ' and ', '@', '=', 'ä', 'ß', '—', '\u0301');
  const text = fc.array(fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')).filter((s) => collapse(s) !== '');
  const word = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéüçøÅ'.split('')), minLength: 1, maxLength: 8 });
  // Not a lone "-" as a word of a name: citation-js's name parser drops it as a hyphen between
  // initials (BibTeX itself keeps it).
  const nameSpecial = special.filter((c) => c !== '-');
  const name = fc.tuple(word, fc.oneof(nameSpecial, word), word).map(([a, b, c]) => `${a[0]!.toUpperCase()}${a.slice(1)} ${b} ${c[0]!.toUpperCase()}${c.slice(1)}`);
  fc.assert(
    fc.property(text, fc.array(name, { minLength: 1, maxLength: 4 }), (title, names) => {
      // Whitespace inside a value is collapsed by every format; control characters are not text.
      fc.pre(!/[\u0000-\u001f\u007f\u0085\u2028\u2029\u200b-\u200f\ufeff]/.test(title + names.join('')));
      const source = paper({ title, authors: names.map((n, i) => ({ id: i + 1, name: n })) });
      assertReadBack(parseBibtex(formatCitations([source], 'bibtex'))[0], source, 'BibTeX');
      assertReadBack(parseRis(formatCitations([source], 'ris'))[0], source, 'RIS');
      assertReadBack(parseCslJson(formatCitations([source], 'csl-json'))[0], source, 'CSL-JSON');
    }),
    fcParams('citation round trip', 200, 2000),
  );
});
