/**
 * Property tests over every parser at papersift's edge. Inputs are random, or real recorded responses
 * mutated the way broken networks and hostile servers mutate them (cut short, spliced, entities,
 * CDATA, huge attributes, unicode and control characters injected). Each parser must either return a
 * result that satisfies the domain invariants or throw its own clean error class; a TypeError,
 * RangeError, URIError (or any other class) or a slow parse is a bug.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAnnouncementFeed } from '../../src/arxiv/announcement-feed.ts';
import { parseApiFeed } from '../../src/arxiv/api-feed.ts';
import { parseArxivId } from '../../src/arxiv/ids.ts';
import { parseOaiListRecords } from '../../src/arxiv/oai-pmh.ts';
import { ArxivApiError, ArxivFormatError } from '../../src/arxiv/errors.ts';
import { paperRecordSchema } from '../../src/arxiv/paper-schema.ts';
import { toFtsQuery } from '../../src/store/search-query.ts';
import { EnrichmentFormatError } from '../../src/enrich/errors.ts';
import { createOpenAlexClient, parseOpenAlexEntity } from '../../src/enrich/openalex.ts';
import { createSemanticScholarClient } from '../../src/enrich/semantic-scholar.ts';
import type { FetchResult, PoliteClient } from '../../src/http/polite-client.ts';
import type { SummaryEngine } from '../../src/summarize/engine.ts';
import { summarizeJsonLines } from '../../src/summarize/batch.ts';
import { judgeAnswer } from '../../src/summarize/llm/answer.ts';
import { extractJson } from '../../src/summarize/llm/json.ts';
import { createOfflineEngine } from '../../src/summarize/offline/extractive-engine.ts';
import { RECORDED_FIXTURES } from '../helpers/context.ts';
import { fcParams } from './settings.ts';

const OWN_ARXIV = path.resolve(import.meta.dirname, '../fixtures/arxiv');
const read = (file: string) => fs.readFileSync(file, 'utf8');

/** A parse slower than this on one input counts as a hang (inputs are at most a few hundred kB). */
const SLOW_MS = 3000;

/** Runs `parse`, times it, and sorts the outcome: a result, an allowed error, or a bug (rethrown with the input's size). */
function outcome<T>(parse: () => T, allowed: ReadonlyArray<new (...args: never[]) => Error>, what: string): { ok: true; value: T } | { ok: false; error: Error } {
  const started = performance.now();
  let result: { ok: true; value: T } | { ok: false; error: Error };
  try {
    result = { ok: true, value: parse() };
  } catch (error) {
    if (!allowed.some((kind) => error instanceof kind)) {
      throw new assert.AssertionError({ message: `${what}: uncaught ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n${error instanceof Error ? error.stack : ''}` });
    }
    // A clean error class that only wraps a programming error is still a crash.
    const cause = (error as Error).cause;
    if (cause instanceof TypeError || cause instanceof RangeError || cause instanceof ReferenceError || cause instanceof URIError) {
      throw new assert.AssertionError({ message: `${what}: ${(error as Error).name} wraps ${cause.name}: ${cause.message}\n${cause.stack}` });
    }
    result = { ok: false, error: error as Error };
  }
  const elapsed = performance.now() - started;
  assert.ok(elapsed < SLOW_MS, `${what}: took ${Math.round(elapsed)} ms`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Mutations of real documents
// ---------------------------------------------------------------------------------------------

const INJECTIONS = [
  '&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#0;', '&#x0;', '&#xD800;', '&#1114112;', '&#x110000;', '&#99999999999999999999;', '&#;', '&#x;', '&nbsp;', '&unknown;', '&',
  '<![CDATA[', ']]>', '<![CDATA[<entry></entry>]]>', '<![CDATA[&amp; <b>x</b>]]>',
  '<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
  '<!ENTITY xxe SYSTEM "file:///etc/passwd">', '&xxe;', '<?xml version="1.0"?>', '<?php echo 1; ?>', '<!-- -->', '<!--', '-->',
  '<entry>', '</entry>', '<item>', '</item>', '<record>', '</record>', '<id>', '</id>', '<title>', '</title>', '<author><name></name></author>',
  '<category term=""/>', '<category/>', '<__proto__>x</__proto__>', '<constructor>x</constructor>', '<toString>x</toString>', '<hasOwnProperty/>', '<prototype>1</prototype>',
  '<a:b:c/>', '<xmlns:x/>', ' xmlns="urn:x"', ' xmlns:arxiv="urn:evil"', '\u0000', '\u0007', '\u001b[31m', '\uFFFE', '\uFFFF', '\uD800', '\uDFFF', '\u202E', '\u200B', '\uFEFF', '\r', '\r\n',
  'http://arxiv.org/api/errors#%E0%A4%A', 'http://arxiv.org/api/errors#incorrect_id_format_for_%', 'http://arxiv.org/abs/2401.00001v99999999999999999999', '9999.99999v0', 'hep-th/9901001v1',
  '2026-02-30T00:00:00Z', '0000-00-00', '-1', '1e309', 'NaN', '99999999999999999999',
];

const hugeAttribute = fc.integer({ min: 1_000, max: 200_000 }).map((n) => ` evil="${'x'.repeat(n)}"`);
const deepNesting = fc.integer({ min: 10, max: 5_000 }).map((n) => '<a>'.repeat(n) + '</a>'.repeat(n));
const injection = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: hugeAttribute },
  { weight: 1, arbitrary: deepNesting },
);

type Mutation = (doc: string) => string;
const at = (doc: string, fraction: number) => Math.floor(fraction * doc.length);
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fraction.map((f): Mutation => (doc) => doc.slice(0, at(doc, f))),
  fc.tuple(fraction, fraction).map(([a, b]): Mutation => (doc) => doc.slice(0, at(doc, Math.min(a, b))) + doc.slice(at(doc, Math.max(a, b)))),
  fc.tuple(fraction, injection).map(([f, text]): Mutation => (doc) => doc.slice(0, at(doc, f)) + text + doc.slice(at(doc, f))),
  // Injected just inside a start tag, where attributes go.
  fc.tuple(fraction, injection).map(([f, text]): Mutation => (doc) => {
    const tagEnd = doc.indexOf('>', at(doc, f));
    return tagEnd < 0 ? doc : doc.slice(0, tagEnd) + text + doc.slice(tagEnd);
  }),
  // A span repeated (duplicate entries, doubled closing tags).
  fc.tuple(fraction, fraction).map(([a, b]): Mutation => (doc) => {
    const [from, to] = [at(doc, Math.min(a, b)), at(doc, Math.max(a, b))];
    return doc.slice(0, to) + doc.slice(from, to) + doc.slice(to);
  }),
  // Text content replaced by hostile text.
  fc.tuple(fraction, injection).map(([f, text]): Mutation => (doc) => {
    const open = doc.indexOf('>', at(doc, f));
    const close = open < 0 ? -1 : doc.indexOf('<', open);
    return close < 0 ? doc : doc.slice(0, open + 1) + text + doc.slice(close);
  }),
);
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

// ---------------------------------------------------------------------------------------------
// arXiv XML parsers
// ---------------------------------------------------------------------------------------------

// The characters XML 1.0 forbids: none may reach a record, whatever the document carried.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function assertRecordInvariants(records: readonly unknown[], what: string): void {
  for (const record of records) {
    const checked = paperRecordSchema.safeParse(record);
    assert.ok(checked.success, `${what}: a record breaks the domain schema: ${checked.success ? '' : checked.error.message}`);
    const { id } = checked.data;
    assert.equal(parseArxivId(id)?.id, id, `${what}: ${id} is a canonical arXiv id`);
    const { title, abstract, authors, categories, comment, journalRef, doi, license } = checked.data;
    const texts = [title, abstract, comment, journalRef, doi, license, ...categories, ...authors.flatMap((author) => [author.name, ...author.affiliations])];
    for (const text of texts) assert.ok(text === null || !FORBIDDEN.test(text), `${what}: a character XML forbids in ${JSON.stringify(text)}`);
  }
}

const XML_PARSERS = [
  {
    name: 'arXiv API Atom',
    parse: (xml: string) => {
      const page = parseApiFeed(xml);
      assertRecordInvariants(page.records, 'api');
      for (const n of [page.totalResults, page.startIndex, page.itemsPerPage]) assert.ok(Number.isSafeInteger(n) && n >= 0, `api: counts are whole numbers (${n})`);
    },
    fixtures: [path.join(RECORDED_FIXTURES, 'arxiv-api/arxiv_raw_0.xml'), path.join(RECORDED_FIXTURES, 'arxiv-api/edge-cases/id_list_1111.2011v2.xml'), path.join(RECORDED_FIXTURES, 'arxiv-api/edge-cases/search_query_au_del_maestro.xml')],
  },
  {
    name: 'RSS/Atom announcement feed',
    parse: (xml: string) => {
      const feed = parseAnnouncementFeed(xml);
      for (const entry of feed.entries) {
        assert.equal(parseArxivId(entry.id)?.id, entry.id, `rss: ${entry.id} is a canonical arXiv id`);
        assert.ok(Number.isSafeInteger(entry.version) && entry.version >= 1, `rss: version ${entry.version}`);
        assert.match(entry.announcedOn, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(entry.title.length > 0 && entry.categories.length > 0, 'rss: title and categories');
      }
      if (feed.feedDate !== null) assert.match(feed.feedDate, /^\d{4}-\d{2}-\d{2}$/);
    },
    fixtures: [path.join(RECORDED_FIXTURES, 'rss/arxiv_rss.xml'), path.join(OWN_ARXIV, 'announcement-atom-cs.LG.xml'), path.join(OWN_ARXIV, 'announcement-rss-empty-day.xml')],
  },
  {
    name: 'OAI-PMH ListRecords',
    parse: (xml: string) => {
      const page = parseOaiListRecords(xml);
      assertRecordInvariants(page.records, 'oai');
      for (const id of page.deleted) assert.equal(parseArxivId(id)?.id, id, `oai: deleted ${id} is a canonical id`);
      if (page.resumptionToken) assert.ok(page.resumptionToken.token.length > 0, 'oai: a resumption token is never empty');
    },
    fixtures: [path.join(OWN_ARXIV, 'oai-arxivraw-list-records-page-1.xml'), path.join(OWN_ARXIV, 'oai-arxivraw-list-records-last-page.xml'), path.join(RECORDED_FIXTURES, 'oai-pmh/inspire-next/oai_arxiv.xml')],
  },
] as const;

const XML_ERRORS = [ArxivFormatError, ArxivApiError];

for (const parser of XML_PARSERS) {
  const documents = parser.fixtures.map(read);

  test(`${parser.name}: every recorded fixture parses and meets the invariants`, () => {
    for (const [i, doc] of documents.entries()) {
      const result = outcome(() => parser.parse(doc), XML_ERRORS, `${parser.name} fixture ${parser.fixtures[i]}`);
      // A recorded error page (an API error entry) is allowed, anything else must parse.
      if (!result.ok) assert.ok(result.error instanceof ArxivApiError, `${parser.fixtures[i]}: ${result.error.message}`);
    }
  });

  test(`${parser.name}: mutated real responses give a valid result or a clean ArxivFormatError/ArxivApiError`, { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.nat({ max: documents.length - 1 }), mutations, (which, steps) => {
        const doc = steps.reduce((text, step) => step(text), documents[which]!);
        outcome(() => parser.parse(doc), XML_ERRORS, `${parser.name} (${doc.length} chars)`);
      }),
      fcParams(`${parser.name} mutations`, 300, 5000),
    );
  });

  test(`${parser.name}: random text and random XML-ish input never crash`, { timeout: 300_000 }, () => {
    const xmlish = fc.array(fc.oneof(fc.constantFrom(...INJECTIONS, '<feed>', '</feed>', '<rss><channel>', '</channel></rss>', '<OAI-PMH>', '</OAI-PMH>', '<ListRecords>', '<summary>', '</summary>'), fc.string({ maxLength: 10 })), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), xmlish), (doc) => {
        outcome(() => parser.parse(doc), XML_ERRORS, `${parser.name} random (${JSON.stringify(doc.slice(0, 200))})`);
      }),
      fcParams(`${parser.name} random`, 300, 5000),
    );
  });
}

test('regression: an API error entry with a broken percent-escape is a clean ArxivApiError, not a URIError', () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_%E0%A4%A</id><title>Error</title><summary>incorrect id format</summary></entry></feed>`;
  assert.throws(() => parseApiFeed(xml), (error: unknown) => error instanceof ArxivApiError && error.code === 'incorrect_id_format_for_%E0%A4%A');
  const good = xml.replace('%E0%A4%A', '%20x');
  assert.throws(() => parseApiFeed(good), (error: unknown) => error instanceof ArxivApiError && error.code === 'incorrect_id_format_for_ x');
});

// ---------------------------------------------------------------------------------------------
// arXiv ids and the FTS query builder
// ---------------------------------------------------------------------------------------------

test('parseArxivId: any string gives null or a canonical id that parses to itself', () => {
  const idLike = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.tuple(fc.stringMatching(/^\d{4}\.\d{4,5}$/), fc.option(fc.nat(), { nil: undefined })).map(([id, v]) => (v === undefined ? id : `${id}v${v}`)),
    fc.tuple(fc.constantFrom('hep-th', 'math.AG', 'astro-ph', 'cond-mat.stat-mech', 'cs', 'q-bio'), fc.stringMatching(/^\d{7}$/), fc.option(fc.stringMatching(/^v\d{1,25}$/), { nil: '' })).map(([a, n, v]) => `${a}/${n}${v}`),
    fc.tuple(fc.constantFrom('arXiv:', 'arxiv:', ' ', '\t', '\u00a0', 'ARXIV:'), fc.stringMatching(/^\d{4}\.\d{5}v\d{1,3}$/)).map(([p, id]) => p + id),
  );
  fc.assert(
    fc.property(idLike, (text) => {
      const parsed = outcome(() => parseArxivId(text), [], `parseArxivId(${JSON.stringify(text)})`);
      if (!parsed.ok || parsed.value === null) return;
      const { id, version } = parsed.value;
      assert.deepEqual(parseArxivId(id), { id, version: null }, `${id} is canonical`);
      if (version !== null) assert.ok(Number.isSafeInteger(version) && version >= 0, `version ${version} of ${JSON.stringify(text)} is a positive safe integer`);
    }),
    fcParams('parseArxivId', 2000, 50_000),
  );
});

test('regression: an arXiv id with a version no number can hold exactly (v99999999999999999999) is refused', () => {
  assert.equal(parseArxivId('2401.00001v99999999999999999999'), null);
  assert.deepEqual(parseArxivId('hep-th/9901001v2'), { id: 'hep-th/9901001', version: 2 });
  assert.deepEqual(parseArxivId('2401.00001v12'), { id: '2401.00001', version: 12 });
});

test('toFtsQuery: any text gives null or a query of quoted letter/digit phrases that FTS5 accepts', async () => {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE t USING fts5(title, body); INSERT INTO t VALUES ('attention is all you need', 'NEAR operators and column: filters');");
  const search = db.prepare('SELECT count(*) AS n FROM t WHERE t MATCH ?');
  const searchSyntax = fc.array(
    fc.oneof(fc.constantFrom('"', '""', '(', ')', '*', ':', '^', '-', '+', 'AND', 'OR', 'NOT', 'NEAR', 'NEAR(a b, 3)', 'title:', '{title body}:', "'", '\\', '%', '_', ' ', '\u0000', '\uD800', 'ǅ', '٣', '日本語'), fc.string({ unit: 'grapheme', maxLength: 8 })),
    { maxLength: 30 },
  ).map((parts) => parts.join(''));
  try {
    fc.assert(
      fc.property(fc.oneof(searchSyntax, fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const query = outcome(() => toFtsQuery(text), [], `toFtsQuery(${JSON.stringify(text)})`);
        if (!query.ok || query.value === null) return;
        assert.match(query.value, /^"[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*"\*?(?: "[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)*"\*?)*$/u, 'only quoted word phrases');
        // Whatever the reader typed, SQLite's FTS5 accepts the query (a syntax error would be a 500).
        search.get(query.value);
      }),
      fcParams('toFtsQuery', 2000, 50_000),
    );
  } finally {
    db.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Semantic Scholar and OpenAlex answers through their zod schemas
// ---------------------------------------------------------------------------------------------

/** A PoliteClient that answers every request with the given body (the clients parse what comes back). */
function answering(body: () => string): PoliteClient & { requests: number } {
  const reply = (url: string): Promise<FetchResult> => {
    client.requests += 1;
    // A server that keeps sending pages forever must not keep the client asking forever.
    if (client.requests > 1000) throw new assert.AssertionError({ message: `more than 1000 requests (last ${url}): an endless page loop` });
    return Promise.resolve({ status: 200, url, body: body(), etag: null, lastModified: null, fromCache: false });
  };
  const client = { requests: 0, get: (url: string) => reply(url), post: (url: string) => reply(url) };
  return client;
}

/** Random JSON, biased towards the shapes S2 and OpenAlex answer with, so the schemas get past their first field. */
const hostileScalar = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(-1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5, '__proto__', 'W123', 'A5023888391', 'https://openalex.org/W1', '0000-0002-1825-0097'));
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('paperId', 'authorId', 'name', 'authors', 'citationCount', 'data', 'next', 'offset', 'id', 'doi', 'results', 'authorships', 'author', 'institutions', 'display_name', 'summary_stats', 'h_index', 'externalIds', 'ORCID', '__proto__', 'constructor'), tie('value'), { maxKeys: 6 }),
  ),
})).value;

function mutatedJson(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fraction.map((f) => text.slice(0, at(text, f))),
    fc.tuple(fraction, fc.constantFrom('null', '-1', '1e999', '"\\ud800"', '{}', '[]', '"', ',', '}', ']', '\u0000', '{"__proto__":{"x":1}}')).map(([f, s]) => text.slice(0, at(text, f)) + s + text.slice(at(text, f))),
  );
}

const S2_CASSETTE_BODIES: string[] = fs
  .readdirSync(path.join(RECORDED_FIXTURES, 'semanticscholar'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => read(path.join(RECORDED_FIXTURES, 'semanticscholar', f)));
const OPENALEX_BODIES: string[] = fs
  .readdirSync(path.join(RECORDED_FIXTURES, 'openalex'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => read(path.join(RECORDED_FIXTURES, 'openalex', f)));

const jsonBody = (recorded: string[]) =>
  fc.oneof(
    hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
    fc.array(hostileJson, { maxLength: 5 }).map((v) => JSON.stringify(v)),
    fc.record({ data: fc.array(hostileJson, { maxLength: 3 }), next: fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 300 })), offset: fc.integer({ min: -2, max: 300 }) }).map((v) => JSON.stringify(v)),
    fc.record({ results: fc.array(hostileJson, { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
    fc.constantFrom(...recorded).chain(mutatedJson),
    fc.string({ unit: 'binary', maxLength: 100 }),
  );

async function clean<T>(call: () => Promise<T>, what: string): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof EnrichmentFormatError) return;
    throw new assert.AssertionError({ message: `${what}: uncaught ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}` });
  }
}

test('Semantic Scholar client: any answer body gives a typed result or EnrichmentFormatError, and paging always ends', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(jsonBody(S2_CASSETTE_BODIES), fc.constantFrom('papers', 'authors', 'authorPapers'), async (body, call) => {
      const http = answering(() => body);
      const s2 = createSemanticScholarClient(http, { apiUrl: 'http://127.0.0.1:9/graph/v1', apiKey: null });
      await clean(async () => {
        if (call === 'papers') {
          const result = await s2.lookupPapers(['2401.00001', 'hep-th/9901001']);
          for (const paper of result.values()) if (paper) assert.ok(Array.isArray(paper.authors) && typeof paper.paperId === 'string');
        } else if (call === 'authors') {
          const result = await s2.lookupAuthors(['1', '2']);
          for (const author of result.values()) if (author) assert.ok(Array.isArray(author.affiliations) && (author.hIndex === null || Number.isSafeInteger(author.hIndex)));
        } else {
          const papers = await s2.authorPapers('1');
          if (papers) for (const paper of papers) assert.equal(typeof paper.paperId, 'string');
        }
      }, `S2 ${call} on ${body.slice(0, 200)}`);
    }),
    fcParams('Semantic Scholar bodies', 300, 5000),
  );
});

test('regression: an author-papers answer whose `next` does not move forward is a format error, not an endless loop', async () => {
  for (const next of [0, -1, 5]) {
    const http = answering(() => JSON.stringify({ offset: 5, next, data: [{ paperId: 'p1', title: 't', citationCount: 1 }] }));
    const s2 = createSemanticScholarClient(http, { apiUrl: 'http://127.0.0.1:9/graph/v1', apiKey: null });
    await assert.rejects(s2.authorPapers('1'), (error: unknown) => error instanceof EnrichmentFormatError && /next/.test(error.message), `next ${next}`);
    assert.ok(http.requests <= 2, `next ${next}: stopped after ${http.requests} requests`);
  }
});

test('OpenAlex client and entity parser: any answer gives a typed result or EnrichmentFormatError', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(jsonBody(OPENALEX_BODIES), fc.constantFrom('works', 'authors', 'entity-work', 'entity-author'), async (body, call) => {
      const http = answering(() => body);
      const openalex = createOpenAlexClient(http, { apiUrl: 'http://127.0.0.1:9', apiKey: null, mailto: null });
      await clean(async () => {
        if (call === 'works') {
          for (const work of (await openalex.lookupWorks(['2401.00001'])).values()) if (work) assert.match(work.id, /^W\d+$/);
        } else if (call === 'authors') {
          for (const author of (await openalex.lookupAuthors(['A1'])).values()) if (author) assert.ok(Array.isArray(author.institutions));
        } else {
          let json: unknown;
          try {
            json = JSON.parse(body);
          } catch {
            return;
          }
          if (call === 'entity-work') assert.match(parseOpenAlexEntity('work', json).id, /^W\d+$/);
          else assert.match(parseOpenAlexEntity('author', json).id, /^A\d+$/);
        }
      }, `OpenAlex ${call} on ${body.slice(0, 200)}`);
    }),
    fcParams('OpenAlex bodies', 300, 5000),
  );
});

// ---------------------------------------------------------------------------------------------
// LLM answers: JSON extraction and validation
// ---------------------------------------------------------------------------------------------

const INPUT = {
  id: '2401.00001',
  version: 1,
  title: 'Sparse attention for long documents',
  abstract: 'We propose a sparse attention method for long documents. It reaches 91.2% accuracy on three benchmarks. The method is 3 times faster than dense attention. Code is released.',
  categories: ['cs.LG'],
  comment: null,
};
const GOOD_ANSWER = JSON.stringify({
  tldr: 'A sparse attention method for long documents that is 3 times faster than dense attention.',
  tags: ['NLP'],
  highlights: ['Sparse attention for long documents.', 'Reaches 91.2% accuracy on three benchmarks.', '3 times faster than dense attention.', 'Code is released.'],
  sections: {
    summary: 'We propose a sparse attention method for long documents. It reaches 91.2% accuracy on three benchmarks. The method is 3 times faster than dense attention. Code is released.',
    methodology: 'A sparse attention method for long documents. It replaces dense attention.',
    results: 'It reaches 91.2% accuracy on three benchmarks. It is 3 times faster than dense attention.',
    implications: 'Long documents become 3 times faster to process. Code is released.',
  },
});

test('LLM answers: any text (random, fenced, nested, cut short) is judged, never throws', { timeout: 300_000 }, () => {
  const answer = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    hostileJson.map((v) => JSON.stringify(v) ?? ''),
    mutatedJson(GOOD_ANSWER),
    fc.tuple(fc.string({ maxLength: 30 }), mutatedJson(GOOD_ANSWER), fc.string({ maxLength: 30 })).map(([a, b, c]) => `${a}\`\`\`json\n${b}\n\`\`\`${c}`),
    fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('{', '[', '{"a":', '"', '<think>')).map(([n, s]) => s.repeat(n)),
    fc.constant(`<think>${'{'.repeat(5000)}</think>${GOOD_ANSWER}`),
  );
  fc.assert(
    fc.property(answer, (text) => {
      const extracted = outcome(() => extractJson(text), [], `extractJson (${text.length} chars)`);
      if (extracted.ok && extracted.value.ok) assert.ok(typeof extracted.value.value === 'object' && extracted.value.value !== null && !Array.isArray(extracted.value.value));
      const verdict = outcome(() => judgeAnswer(text, INPUT), [], `judgeAnswer (${text.length} chars)`);
      if (verdict.ok && verdict.value.outcome === 'success') {
        assert.ok(verdict.value.summary.tldr.length > 0 && verdict.value.summary.highlights.length === 4);
      } else if (verdict.ok && 'problems' in verdict.value) {
        assert.ok(verdict.value.problems.length > 0, 'a rejection names its problems');
      }
    }),
    fcParams('LLM answers', 500, 10_000),
  );
  assert.equal(judgeAnswer(GOOD_ANSWER, INPUT).outcome, 'success', 'the unmutated answer is accepted');
});

// ---------------------------------------------------------------------------------------------
// The JSONL batch summariser's input
// ---------------------------------------------------------------------------------------------

test('JSONL batch input: every line is answered in order, a summary or a {line, error}, whatever the lines hold', { timeout: 300_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papersift-jsonl-fuzz-'));
  const engine: SummaryEngine = createOfflineEngine();
  const validLine = JSON.stringify({ id: '2401.00001', title: INPUT.title, abstract: INPUT.abstract, categories: ['cs.LG'] });
  const line = fc.oneof(
    fc.constant(validLine),
    mutatedJson(validLine),
    hostileJson.map((v) => JSON.stringify(v) ?? 'x'),
    fc.record({ id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), title: fc.string({ unit: 'grapheme', maxLength: 80 }), abstract: fc.string({ unit: 'grapheme', maxLength: 400 }), version: fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)), comment: fc.option(fc.string()) }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ')),
  );
  try {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        run += 1;
        const input = path.join(dir, `in-${run}.jsonl`);
        const output = path.join(dir, `out-${run}.jsonl`);
        // Lines must stay lines: the generator's strings may hold line breaks.
        const written = lines.map((l) => l.replace(/[\r\n]/g, ' '));
        fs.writeFileSync(input, written.join('\n') + '\n');
        let totals: Awaited<ReturnType<typeof summarizeJsonLines>>;
        try {
          totals = await summarizeJsonLines({ engine, input, output });
        } catch (error) {
          throw new assert.AssertionError({ message: `summarizeJsonLines threw ${error instanceof Error ? error.stack : String(error)}` });
        }
        const nonEmpty = written.filter((l) => l.trim() !== '').length;
        const out = fs.readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        assert.equal(out.length, nonEmpty, 'one output line per non-empty input line');
        assert.equal(totals.lines, nonEmpty);
        assert.equal(totals.summarized + totals.fallback + totals.failed, nonEmpty);
        for (const row of out) assert.ok(('error' in row && typeof row.error === 'string' && typeof row.line === 'number') || (typeof row.tldr === 'string' && Array.isArray(row.highlights)), `a summary or an error: ${JSON.stringify(row).slice(0, 200)}`);
        fs.rmSync(input);
        fs.rmSync(output);
      }),
      fcParams('JSONL batch input', 60, 1000),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('regression: answers of thousands of unclosed <think> or { are judged in linear time', () => {
  for (const answer of ['<think>'.repeat(20_000), '{'.repeat(20_000), `${'<think>'.repeat(20_000)}${GOOD_ANSWER}`, `<think>${'{'.repeat(20_000)}</think>${GOOD_ANSWER}`]) {
    const started = performance.now();
    const verdict = judgeAnswer(answer, INPUT);
    assert.ok(performance.now() - started < 500, `${answer.length} chars judged in ${Math.round(performance.now() - started)} ms`);
    assert.ok(verdict.outcome === 'invalid_json' || verdict.outcome === 'success');
  }
  assert.equal(judgeAnswer(`<think>draft {"tldr": 1}</think>${GOOD_ANSWER}`, INPUT).outcome, 'success', 'a closed think block is still dropped');
});
