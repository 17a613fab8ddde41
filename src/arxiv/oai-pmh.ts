/**
 * arXiv's OAI-PMH interface (export.arxiv.org/oai2) → PaperRecord[]: ListRecords and GetRecord
 * responses with metadataPrefix=arXivRaw (every version with its date) or metadataPrefix=arXiv.
 * https://info.arxiv.org/help/oa/index.html, http://www.openarchives.org/OAI/openarchivesprotocol.html
 */
import { z } from 'zod';
import type { PaperRecord } from '../domain/paper.ts';
import { uniqueInOrder } from '../domain/collections.ts';
import { collapseWhitespace } from '../domain/whitespace.ts';
import { splitAuthorList } from './authors.ts';
import { toIsoTimestamp } from './dates.ts';
import { ArxivApiError, ArxivFormatError } from './errors.ts';
import { splitArxivId } from './ids.ts';
import { paperRecordSchema } from './paper-schema.ts';
import { parseXmlDocument, rootElement } from './xml/reader.ts';
import { element, optionalText, peekText, repeated, requiredAttribute, requiredText, text, timestamp, validate } from './xml/schema.ts';

export interface OaiResumptionToken {
  token: string;
  completeListSize: number | null;
  cursor: number | null;
}

export interface OaiRecordsPage {
  records: PaperRecord[];
  /** Ids (without version) of records whose header says status="deleted". */
  deleted: string[];
  /** Pass `token` as resumptionToken for the next page; null on the last page (or a GetRecord). */
  resumptionToken: OaiResumptionToken | null;
}

const ARRAY_TAGS = new Set(['record', 'version', 'author', 'affiliation', 'setSpec', 'error']);

/** OAI-PMH says noRecordsMatch when a ListRecords range is empty: that is an empty page, not a failure. */
const NO_RECORDS_MATCH = 'noRecordsMatch';

function asRecord(node: unknown): Record<string, unknown> {
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
}

/** "v3" → 3 */
const versionLabel = requiredAttribute.transform((value, ctx) => {
  const match = /^v(\d+)$/i.exec(value);
  if (!match || Number(match[1]) < 1) {
    ctx.addIssue({ code: 'custom', message: `is not a version label like "v1" ("${value}")` });
    return z.NEVER;
  }
  return Number(match[1]);
});

/** arXivRaw dates look like "Mon, 2 Apr 2007 19:18:42 GMT". */
const versionDate = requiredText.transform((value, ctx) => {
  const iso = toIsoTimestamp(value);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `is not a date ("${value}")` });
    return z.NEVER;
  }
  return iso;
});

/** An arXiv id as OAI-PMH metadata gives it: without version. */
const versionlessId = requiredText.transform((value, ctx) => {
  const parsed = splitArxivId(value);
  if (parsed === null) {
    ctx.addIssue({ code: 'custom', message: `is not an arXiv id ("${value}")` });
    return z.NEVER;
  }
  return parsed;
});

const categoryList = requiredText.transform((value) => uniqueInOrder(value.split(/\s+/).filter(Boolean)));

const arxivRawSchema = element({
  id: versionlessId,
  version: repeated(element({ '@_version': versionLabel, date: versionDate })),
  title: requiredText,
  authors: text,
  categories: categoryList,
  comments: optionalText,
  'journal-ref': optionalText,
  doi: optionalText,
  license: optionalText,
  abstract: text,
})
  .transform((raw, ctx): PaperRecord => {
    if (raw.version.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'missing' });
      return z.NEVER;
    }
    const versions = [...raw.version]
      .map((entry) => ({ version: entry['@_version'], submitted: entry.date }))
      .sort((a, b) => a.version - b.version);
    const first = versions[0]!;
    const latest = versions[versions.length - 1]!;
    return {
      id: raw.id.id,
      version: latest.version,
      title: raw.title,
      abstract: raw.abstract,
      authors: splitAuthorList(raw.authors),
      categories: raw.categories,
      comment: raw.comments,
      journalRef: raw['journal-ref'],
      doi: raw.doi,
      license: raw.license,
      published: first.submitted,
      updated: latest.submitted,
      versions,
    };
  })
  .pipe(paperRecordSchema);

/**
 * A name part; the arXiv schema allows one, but some records repeat <keyname> (e.g. a double
 * surname split in two): the parts are joined with a space, as other harvesters do.
 */
const namePart = z.unknown().optional().transform((value, ctx) => {
  const parts = (Array.isArray(value) ? value : [value]).map((part) => (part === undefined ? '' : peekText(part)));
  if (parts.some((part) => part === null)) {
    ctx.addIssue({ code: 'custom', message: 'is not text' });
    return z.NEVER;
  }
  return parts.filter(Boolean).join(' ') || null;
});

const arxivAuthorSchema = element({
  keyname: namePart.pipe(z.string({ error: 'missing' })),
  forenames: namePart,
  suffix: namePart,
  affiliation: repeated(text),
});

const arxivSchema = element({
  id: versionlessId,
  created: timestamp,
  updated: optionalText,
  authors: element({ author: repeated(arxivAuthorSchema) }),
  title: requiredText,
  categories: categoryList,
  comments: optionalText,
  'journal-ref': optionalText,
  doi: optionalText,
  license: optionalText,
  abstract: text,
})
  .transform((raw, ctx): PaperRecord => {
    const updated = raw.updated === null ? raw.created : toIsoTimestamp(raw.updated);
    if (updated === null) {
      ctx.addIssue({ code: 'custom', path: ['updated'], message: `is not a date ("${raw.updated}")` });
      return z.NEVER;
    }
    return {
      id: raw.id.id,
      // The arXiv format has no version history: version 1 unless the id itself says otherwise.
      version: raw.id.version ?? 1,
      title: raw.title,
      abstract: raw.abstract,
      authors: raw.authors.author.map((author) => ({
        name: [author.forenames, author.keyname, author.suffix].filter((part): part is string => Boolean(part)).join(' '),
        affiliations: uniqueInOrder(author.affiliation.filter(Boolean)),
      })),
      categories: raw.categories,
      comment: raw.comments,
      journalRef: raw['journal-ref'],
      doi: raw.doi,
      license: raw.license,
      published: raw.created,
      updated,
    };
  })
  .pipe(paperRecordSchema);

const headerSchema = element({
  identifier: requiredText,
  '@_status': z.string().optional(),
});

const resumptionTokenSchema = z
  .unknown()
  .optional()
  .transform((value, ctx): OaiResumptionToken | null => {
    if (value === undefined) return null;
    const node = typeof value === 'string' ? { '#text': value } : asRecord(value);
    const token = peekText(node) ?? '';
    const number = (name: string): number | null => {
      const raw = node[`@_${name}`];
      if (raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return null;
      if (typeof raw !== 'string' || !/^\s*\d+\s*$/.test(raw)) {
        ctx.addIssue({ code: 'custom', path: [`@_${name}`], message: `is not a whole number ("${String(raw)}")` });
        return null;
      }
      return Number(raw);
    };
    const completeListSize = number('completeListSize');
    const cursor = number('cursor');
    // An empty token marks the last page of a list.
    return token === '' ? null : { token, completeListSize, cursor };
  });

function metadataFormatOf(metadata: Record<string, unknown>): string {
  const names = Object.keys(metadata).filter((key) => !key.startsWith('#') && !key.startsWith('@_'));
  return names.length === 0 ? 'none' : names.map((name) => `<${name}>`).join(', ');
}

function parseRecord(node: unknown, index: number, requestedPrefix: string | null): { deleted: string } | { record: PaperRecord } {
  const recordNode = asRecord(node);
  const identifier = peekText(asRecord(recordNode['header'])['identifier']);
  const where = `record ${index + 1}${identifier ? ` (${identifier})` : ''}`;
  const header = validate(headerSchema, recordNode['header'], 'oai', where);

  if (header['@_status']?.trim() === 'deleted') {
    const parsed = splitArxivId(header.identifier);
    if (parsed === null) throw new ArxivFormatError('oai', `<header>/<identifier> is not an arXiv OAI identifier ("${header.identifier}") in ${where}`);
    return { deleted: parsed.id };
  }

  const metadata = asRecord(recordNode['metadata']);
  if (recordNode['metadata'] === undefined) throw new ArxivFormatError('oai', `missing <metadata> in ${where}`);
  if (metadata['arXivRaw'] !== undefined) return { record: validate(arxivRawSchema, metadata['arXivRaw'], 'oai', `<arXivRaw> of ${where}`) };
  if (metadata['arXiv'] !== undefined) return { record: validate(arxivSchema, metadata['arXiv'], 'oai', `<arXiv> of ${where}`) };
  const format = metadata['dc'] !== undefined ? 'oai_dc' : requestedPrefix ?? metadataFormatOf(metadata);
  throw new ArxivFormatError(
    'oai',
    `unsupported metadata format ${format} in ${where}: request metadataPrefix=arXivRaw (or arXiv); ` +
      'oai_dc has no category codes, version dates or affiliations',
  );
}

/**
 * Parses an OAI-PMH ListRecords (or GetRecord) response in the arXivRaw or arXiv metadata format.
 * `noRecordsMatch` gives an empty page; any other OAI-PMH error throws ArxivApiError with its code;
 * malformed or truncated XML, and unsupported metadata formats (oai_dc), throw ArxivFormatError.
 */
export function parseOaiListRecords(xml: string): OaiRecordsPage {
  const doc = parseXmlDocument(xml, 'oai', (name) => ARRAY_TAGS.has(name));
  const root = rootElement(doc, 'oai');
  if (root.name !== 'OAI-PMH') throw new ArxivFormatError('oai', `expected an <OAI-PMH> root element, found <${root.name}>`);
  const response = asRecord(root.node);

  const errors = Array.isArray(response['error']) ? response['error'] : [];
  if (errors.length > 0) {
    const described = errors.map((error) => ({
      code: typeof asRecord(error)['@_code'] === 'string' ? (asRecord(error)['@_code'] as string).trim() : '',
      message: collapseWhitespace(peekText(error) ?? ''),
    }));
    const failure = described.find((error) => error.code !== NO_RECORDS_MATCH);
    if (failure === undefined) return { records: [], deleted: [], resumptionToken: null };
    throw new ArxivApiError('oai', failure.code || 'unknown', failure.message || 'no message');
  }

  const verb = response['ListRecords'] !== undefined ? 'ListRecords' : response['GetRecord'] !== undefined ? 'GetRecord' : null;
  if (verb === null) {
    const found = Object.keys(response).filter((key) => !key.startsWith('#') && !key.startsWith('@_'));
    throw new ArxivFormatError('oai', `expected <ListRecords> or <GetRecord> in the response, found ${found.map((key) => `<${key}>`).join(', ') || 'nothing'}`);
  }
  const requestedPrefix = asRecord(response['request'])['@_metadataPrefix'];
  const body = asRecord(response[verb]);
  const recordNodes = Array.isArray(body['record']) ? body['record'] : [];

  const records: PaperRecord[] = [];
  const deleted: string[] = [];
  recordNodes.forEach((node, index) => {
    const parsed = parseRecord(node, index, typeof requestedPrefix === 'string' ? requestedPrefix : null);
    if ('deleted' in parsed) deleted.push(parsed.deleted);
    else records.push(parsed.record);
  });
  const resumptionToken = validate(resumptionTokenSchema, body['resumptionToken'], 'oai', `<${verb}>/<resumptionToken>`);
  return { records, deleted, resumptionToken };
}
