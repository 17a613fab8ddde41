/**
 * The OpenAPI document is valid OpenAPI 3.1, is the one served, and the response check that the API
 * tests run on every answer (helpers/api-contract.ts) refuses answers that do not match it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { openApiDocument } from '../../src/web/openapi.ts';
import { apiContract, checkApiAnswer, fetchApi, type ApiAnswer } from '../helpers/api-contract.ts';
import { HOSTILE_PAPER, startPreparedServer } from '../helpers/server.ts';

let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  prepared = await startPreparedServer(2);
  base = prepared.server.url;
});
after(() => prepared.close());

/** A real answer of the running server, as the check takes it. */
async function answer(path: string): Promise<ApiAnswer & { json: any }> {
  const response = await fetch(base + path);
  const body = await response.text();
  return { method: 'GET', url: path, status: response.status, headers: response.headers, body, json: JSON.parse(body) };
}

const withBody = (original: ApiAnswer, json: unknown): ApiAnswer => ({ ...original, body: JSON.stringify(json) });

test('the generated document is valid OpenAPI 3.1 (swagger-parser) and is the one served', async () => {
  // validate() dereferences in place: it gets a copy.
  const api = await SwaggerParser.validate(structuredClone(openApiDocument()) as never);
  assert.equal((api as { openapi?: string }).openapi, '3.1.0');
  const served = await answer('/api/v1/openapi.json');
  assert.equal(served.status, 200);
  assert.deepEqual(served.json, JSON.parse(JSON.stringify(openApiDocument())));
});

test('the document states the validation rules of the parameters (author pages, search pages, dates)', () => {
  const doc = openApiDocument() as unknown as { paths: Record<string, { get: { parameters?: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }> } }> };
  const parameter = (path: string, name: string) => doc.paths[path]!.get.parameters!.find((p) => p.name === name)!;
  assert.deepEqual(parameter('/authors/{id}', 'page').schema, { type: 'integer', minimum: 1, maximum: 100_000, description: 'The page of the list (past the last one: the last)' });
  assert.equal(parameter('/authors/{id}', 'id').schema.maximum, 2 ** 31 - 1);
  assert.equal(parameter('/search', 'page').schema.maximum, 1000);
  assert.equal(parameter('/search', 'perPage').schema.maximum, 50);
  assert.equal(parameter('/search', 'q').schema.maxLength, 200);
  assert.ok((parameter('/search', 'tag').schema.enum as string[]).includes('computer-vision'));
  assert.equal(parameter('/digest', 'date').schema.format, 'date');
  assert.equal(parameter('/papers/{id}', 'id').required, true);
});

test('real answers of every operation pass the check: 200s, 304, 400s, 404s', async () => {
  const digest = await answer('/api/v1/digest');
  const paper = await answer(`/api/v1/papers/${HOSTILE_PAPER.record.id}`);
  const author = paper.json.authors[0].id as number;
  for (const path of [
    '/api/v1/digest',
    `/api/v1/digest?date=${digest.json.date}`,
    '/api/v1/digest?date=2026-13-45',
    '/api/v1/digest?date=2020-01-01',
    `/api/v1/papers/${HOSTILE_PAPER.record.id}`,
    '/api/v1/papers/hep-th/9901001',
    '/api/v1/papers/not-an-id',
    `/api/v1/authors/${author}`,
    `/api/v1/authors/${author}?page=2`,
    '/api/v1/authors/0',
    '/api/v1/authors/2147483647',
    '/api/v1/search?q=learning',
    '/api/v1/search?q=EvilNet&perPage=1',
    `/api/v1/search?from=${digest.json.date}&code=1`,
    '/api/v1/search',
    '/api/v1/search?q=x&perPage=51',
    '/api/v1/openapi.json',
    '/api/v1/nothing-here',
  ]) {
    const response = await fetchApi(base + path);
    assert.ok(response.status < 500, `${path}: ${response.status}`);
  }
  const first = await fetchApi(`${base}/api/v1/digest`);
  const notModified = await fetchApi(`${base}/api/v1/digest`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
  assert.equal(notModified.status, 304);
});

test('the check refuses an answer that does not match the document', async () => {
  const contract = apiContract();
  const digest = await answer('/api/v1/digest');
  const paper = await answer(`/api/v1/papers/${HOSTILE_PAPER.record.id}`);
  const results = await answer('/api/v1/search?q=EvilNet');
  const refusal = await answer('/api/v1/papers/not-an-id');
  // The real answers pass.
  for (const real of [digest, paper, results, refusal]) contract.check(real);
  assert.ok(digest.json.papers.length > 0 && results.json.hits.length > 0);

  const card = digest.json.papers[0];
  const refused: Array<[string, ApiAnswer]> = [
    ['a required field missing', withBody(digest, { ...digest.json, stats: undefined })],
    ['a field not described', withBody(digest, { ...digest.json, papers: [{ ...card, secret: 'x' }, ...digest.json.papers.slice(1)] })],
    ['a field of the wrong type', withBody(paper, { ...paper.json, version: '1' })],
    ['null where none is allowed', withBody(paper, { ...paper.json, abstract: null })],
    ['a tag outside the taxonomy', withBody(results, { ...results.json, hits: [{ ...results.json.hits[0], paper: { ...results.json.hits[0].paper, tags: ['Astrology'] } }] })],
    ['a match run as HTML', withBody(results, { ...results.json, hits: [{ ...results.json.hits[0], match: { ...results.json.hits[0].match, title: '<mark>x</mark>' } }] })],
    ['an error in another shape', withBody(refusal, { message: 'bad id' })],
    ['a status not documented for the operation', { ...refusal, status: 418 }],
    ['a 404 where the operation has none', { ...results, status: 404 }],
    ['not JSON', { ...digest, body: '<!DOCTYPE html><p>digest</p>' }],
    ['a 304 with a body', { ...digest, status: 304 }],
    ['a 429 without Retry-After', { ...refusal, status: 429, body: JSON.stringify({ error: { status: 429, message: 'slow down' } }), headers: { 'content-type': 'application/json' } }],
    ['an unknown route answering other than the error shape', { ...digest, url: '/api/v1/nothing-here', status: 404 }],
  ];
  for (const [what, bad] of refused) assert.throws(() => contract.check(bad), assert.AssertionError, what);
  // The shared check that the API tests call is this one.
  assert.throws(() => checkApiAnswer(refused[0]![1]), assert.AssertionError);
});
