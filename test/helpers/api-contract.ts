/**
 * Holds every answer of /api/v1 that a test receives to the OpenAPI document the API serves: the
 * status must be documented for the operation, the documented headers present, and a JSON body valid
 * against the documented schema (JSON Schema 2020-12, as OpenAPI 3.1 says, with ajv). Answers to paths
 * that are no operation (an unknown route) must still be the API's error shape.
 */
import assert from 'node:assert/strict';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/web/openapi.ts';

const API_PREFIX = '/api/v1';
const DOCUMENT_ID = 'https://papersift.test/openapi.json';

interface ResponseObject {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { schema: object }>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
}

export interface ApiAnswer {
  method: string;
  /** The request target, with or without scheme and host. */
  url: string;
  status: number;
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The body as text ('' when there is none). */
  body: string;
}

/** A contract over one document: the API's own unless a test gives another (to show that it fails). */
export function apiContract(document: object = openApiDocument()) {
  const doc = document as unknown as Document;
  // The document itself is the schema resource, so its `#/components/schemas/…` references resolve.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');
  // Every schema is compiled here, before a test sends requests: compiling one takes a noticeable
  // time, which between the requests of a test would change its timing (rate limits, keep-alive).
  const validators = new Map<string, ValidateFunction>();
  const compile = (pointer: string) => validators.set(pointer, ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` }));
  compile('/components/schemas/Error');
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const media of Object.keys(response.content ?? {})) compile(`/paths/${escape(template)}/${method}/responses/${status}/content/${escape(media)}/schema`);
      }
    }
  }
  // An id parameter may hold a slash (old-style arXiv ids: /papers/hep-th/9901001/citation), so every
  // parameter takes one or more segments, and the templates with the most fixed text are tried first.
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      fixed: template.replace(/\{\w+\}/g, '').length,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '.+')}$`),
    }))
    .sort((a, b) => b.fixed - a.fixed);

  function check(answer: ApiAnswer): void {
    // A request target as sent ('//x' too) or a whole URL.
    const { pathname } = new URL(/^https?:\/\//.test(answer.url) ? answer.url : `http://x${answer.url}`);
    if (!pathname.startsWith(`${API_PREFIX}/`)) return;
    const what = `${answer.method} ${answer.url} → ${answer.status}`;
    const header = (name: string) => (answer.headers instanceof Headers ? answer.headers.get(name) : answer.headers[name.toLowerCase()]) ?? null;
    const contentType = String(header('content-type') ?? '');
    const parse = () => {
      assert.match(contentType, /^application\/json/, `${what}: a JSON body`);
      try {
        return JSON.parse(answer.body) as unknown;
      } catch {
        assert.fail(`${what}: the body is not JSON: ${answer.body.slice(0, 200)}`);
      }
    };
    const validate = (pointer: string, body: unknown) => {
      const validator = validators.get(pointer)!;
      if (!validator(body)) assert.fail(`${what}: the body does not match ${pointer}: ${ajv.errorsText(validator.errors, { separator: '; ' })}`);
    };

    const path = pathname.slice(API_PREFIX.length);
    // HEAD is answered as GET, without a body.
    const head = answer.method.toLowerCase() === 'head';
    const method = head ? 'get' : answer.method.toLowerCase();
    const template = templates.find((t) => t.pattern.test(path))?.template;
    const operation = template === undefined ? undefined : doc.paths[template]?.[method];
    if (!operation) {
      // No such operation: the refusal (404, or 413 before routing) is still in the API's error shape.
      assert.ok(answer.status >= 400, `${what}: an answer to no documented operation`);
      if (!head) validate('/components/schemas/Error', parse());
      return;
    }
    const response = operation.responses[String(answer.status)];
    assert.ok(response, `${what}: status not documented for ${method} ${template} (documented: ${Object.keys(operation.responses).join(', ')})`);
    for (const [name, documented] of Object.entries(response.headers ?? {})) {
      if (documented.required) assert.ok(header(name) !== null, `${what}: header ${name} is documented as always sent`);
    }
    const documentedMedia = Object.keys(response.content ?? {});
    if (documentedMedia.length === 0 || head) {
      assert.equal(answer.body, '', `${what}: ${head ? 'HEAD' : 'documented'} without a body`);
      return;
    }
    // The answer's media type is one the operation documents for this status (citations: three).
    const mediaType = contentType.split(';', 1)[0]!.trim().toLowerCase();
    const media = documentedMedia.find((m) => m === mediaType);
    assert.ok(media, `${what}: media type ${mediaType || '(none)'} not documented (documented: ${documentedMedia.join(', ')})`);
    const pointer = `/paths/${escape(template!)}/${method}/responses/${answer.status}/content/${escape(media)}/schema`;
    // JSON media types (application/json, …+json) are parsed and validated; others are text, checked as a string.
    if (/[/+]json$/.test(media)) {
      let body: unknown;
      try {
        body = JSON.parse(answer.body);
      } catch {
        assert.fail(`${what}: the body is not JSON: ${answer.body.slice(0, 200)}`);
      }
      validate(pointer, body);
    } else validate(pointer, answer.body);
  }

  return { check };
}

// Built on import, before the tests of a file run (see the compiling above).
const contract = apiContract();

/** Checks one answer against the API's document (see apiContract). */
export function checkApiAnswer(answer: ApiAnswer): void {
  contract.check(answer);
}

/**
 * fetch, with every answer under /api/v1 checked against the document before the test sees it. The
 * body is read to check it; the Response returned carries the same status, headers and body.
 */
export async function fetchApi(input: string | URL, init?: RequestInit): Promise<Response> {
  const url = String(input);
  const response = await fetch(url, init);
  if (!new URL(url).pathname.startsWith(`${API_PREFIX}/`)) return response;
  const body = await response.text();
  checkApiAnswer({ method: init?.method ?? 'GET', url, status: response.status, headers: response.headers, body });
  return new Response(response.status === 304 || body === '' ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
