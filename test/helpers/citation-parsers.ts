/**
 * Independent readers of the citation formats papersift writes: citation-js's BibTeX and RIS parsers
 * (the ones Zotero-like tools use), and for CSL-JSON the OpenAPI document's schema (ajv) plus
 * citation-js reading it as CSL. Each returns CSL-like items, so tests compare one shape.
 */
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import '@citation-js/plugin-ris';
import { openApiDocument } from '../../src/web/openapi.ts';

export interface ParsedName {
  given?: string;
  family?: string;
  suffix?: string;
  literal?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
}
export type ParsedItem = Record<string, unknown> & { title?: string; author?: ParsedName[] };

export function parseBibtex(text: string): ParsedItem[] {
  return new Cite(text, { forceType: '@bibtex/text' }).data as ParsedItem[];
}

export function parseRis(text: string): ParsedItem[] {
  return new Cite(text, { forceType: '@ris/file' }).data as ParsedItem[];
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...openApiDocument(), $id: 'https://papersift.test/openapi.json' });
const validateCsl = ajv.compile({ type: 'array', items: { $ref: 'https://papersift.test/openapi.json#/components/schemas/CslItem' } });

/** CSL-JSON: valid JSON, valid against the documented schema, and read by citation-js as CSL. */
export function parseCslJson(text: string): ParsedItem[] {
  const items = JSON.parse(text) as unknown;
  assert.ok(validateCsl(items), `CSL-JSON against the CslItem schema: ${ajv.errorsText(validateCsl.errors)}`);
  return new Cite(items, { forceType: '@csl/list+object' }).data as ParsedItem[];
}

/** A parsed name as one string ("Given particle Family Suffix"), to compare with the name given. */
export function nameText(name: ParsedName): string {
  if (name.literal) return name.literal;
  return [name.given, name['dropping-particle'], name['non-dropping-particle'], name.family, name.suffix].filter(Boolean).join(' ');
}
