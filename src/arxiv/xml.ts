/**
 * Shared edge helpers for arXiv's XML sources (the API's Atom feed, the rss.arxiv.org feeds and
 * OAI-PMH): a configured, validating XML parser, zod building blocks for the parsed tree, the errors
 * every parser throws, and the text conventions (ids, dates, author lists) the three sources share.
 *
 * Everything here is pure: strings in, typed data out.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import type { PaperAuthor } from '../domain/paper.ts';
import { parseArxivId } from './ids.ts';

export type ArxivSource = 'api' | 'rss' | 'oai';

const SOURCE_LABEL: Record<ArxivSource, string> = {
  api: 'arXiv API',
  rss: 'arXiv announcement feed',
  oai: 'arXiv OAI-PMH',
};

/** The response is not what the source documents: malformed or truncated XML, a missing field, a bad value. */
export class ArxivFormatError extends Error {
  readonly source: ArxivSource;
  /** 1-based line of the XML where the problem was found, when the XML itself is broken. */
  readonly line: number | null;

  constructor(source: ArxivSource, detail: string, options: { line?: number; cause?: unknown } = {}) {
    super(`${SOURCE_LABEL[source]} response: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArxivFormatError';
    this.source = source;
    this.line = options.line ?? null;
  }
}

/**
 * The service answered with an error of its own inside a well-formed body: an API error entry
 * (`http://arxiv.org/api/errors#…`) or an OAI-PMH `<error code="…">`.
 */
export class ArxivApiError extends Error {
  readonly source: ArxivSource;
  /** The OAI-PMH error code (badArgument, idDoesNotExist, …) or the API error's fragment (incorrect_id_format_for_abc). */
  readonly code: string;
  /** The service's own message, whitespace-collapsed. */
  readonly detail: string;

  constructor(source: ArxivSource, code: string, detail: string) {
    super(`${SOURCE_LABEL[source]} error ${code}: ${detail}`);
    this.name = 'ArxivApiError';
    this.source = source;
    this.code = code;
    this.detail = detail;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decodes exactly what XML defines: the five predefined entities and numeric character references.
 * Entities declared in a DOCTYPE are never expanded (no entity-expansion attacks, no surprises), and
 * each reference is decoded once, so `&amp;lt;` stays the literal text `&lt;`.
 */
class XmlEntityDecoder {
  setExternalEntities(): void {}
  addInputEntities(): void {}
  reset(): void {}
  setXmlVersion(): void {}
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z][\w.-]*));/g, (whole, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined || hex !== undefined) {
        const codePoint = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
        const allowed = codePoint === 0x9 || codePoint === 0xa || codePoint === 0xd ||
          (codePoint >= 0x20 && codePoint <= 0xd7ff) || (codePoint >= 0xe000 && codePoint <= 0x10ffff && codePoint !== 0xfffe && codePoint !== 0xffff);
        return allowed ? String.fromCodePoint(codePoint) : whole;
      }
      return XML_ENTITIES[name!] ?? whole;
    });
  }
}

/** Decides which elements are always arrays, given the element's local name and its dotted path. */
export type ArrayTagRule = (name: string, path: string) => boolean;

/**
 * A fast-xml-parser configured for arXiv's feeds: namespace prefixes removed (arXiv's own prefixes vary
 * between old and new responses), attributes kept as `@_name`, every value kept as a string (a title "0"
 * stays "0"), text not trimmed by the parser (so CDATA sections keep their surrounding spaces; the
 * zod helpers below trim the whole value), repeated elements as arrays per `isArrayTag`.
 */
export function createXmlParser(isArrayTag: ArrayTagRule): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    entityDecoder: new XmlEntityDecoder(),
    isArray: (name, jPath, _isLeaf, isAttribute) => !isAttribute && isArrayTag(name, String(jPath)),
  });
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

function describeValidationError(xml: string, err: { code: string; msg: string; line: number }): { line: number; detail: string } {
  // The validator reports a document that ends with elements still open as "Invalid '[ "feed", … ]' found."
  const unclosed = /^Invalid '\[(.*)\]' found\.?$/s.exec(err.msg);
  if (err.code === 'InvalidXml' && unclosed) {
    const names = [...unclosed[1]!.matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    const line = lineCount(xml.trimEnd());
    return { line, detail: `truncated or malformed XML at line ${line}: the document ends with ${names.join(' > ') || 'elements'} still open` };
  }
  const root = rootNameOf(xml);
  if (root !== null && !new RegExp(`</${root.replace(/[.]/g, '\\.')}\\s*>$`).test(xml.trimEnd())) {
    const line = lineCount(xml.trimEnd());
    return { line, detail: `truncated or malformed XML at line ${line}: the document ends before its closing </${root}> (${err.msg.replace(/\.$/, '')}, line ${err.line})` };
  }
  return { line: err.line, detail: `truncated or malformed XML at line ${err.line}: ${err.msg}` };
}

/** The name of the first element, skipping the declaration, processing instructions, comments and DOCTYPE. */
function rootNameOf(xml: string): string | null {
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1] ?? null;
}

/**
 * Validates `xml` as a whole (so truncated or broken input never yields partial data) and parses it.
 * Throws ArxivFormatError with the offending line for anything that is not well-formed XML.
 */
export function parseXmlDocument(xml: string, source: ArxivSource, isArrayTag: ArrayTagRule): Record<string, unknown> {
  if (typeof xml !== 'string') throw new ArxivFormatError(source, `expected the response body as a string, got ${typeof xml}`);
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (text.trim() === '') throw new ArxivFormatError(source, 'empty response: no XML at all', { line: 1 });
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { line, detail } = describeValidationError(text, verdict.err);
    throw new ArxivFormatError(source, detail, { line });
  }
  let parsed: unknown;
  try {
    parsed = createXmlParser(isArrayTag).parse(text);
  } catch (error) {
    throw new ArxivFormatError(source, `malformed XML: ${(error as Error).message}`, { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object') throw new ArxivFormatError(source, 'the XML has no root element');
  return parsed as Record<string, unknown>;
}

/** The single root element of a parsed document: its local name and content. */
export function rootElement(doc: Record<string, unknown>, source: ArxivSource): { name: string; node: unknown } {
  const names = Object.keys(doc).filter((key) => !key.startsWith('#') && !key.startsWith('@_') && !key.startsWith('?'));
  if (names.length !== 1) throw new ArxivFormatError(source, `expected one root element, found ${names.length === 0 ? 'none' : names.map((n) => `<${n}>`).join(', ')}`);
  const name = names[0]!;
  return { name, node: doc[name] };
}

// ---------------------------------------------------------------------------------------------
// zod building blocks for the parsed tree
// ---------------------------------------------------------------------------------------------

/** Text content of a parsed element: a string, or `#text` of an element that also has attributes. */
function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const node = value as Record<string, unknown>;
    if (Object.keys(node).some((key) => key !== '#text' && !key.startsWith('@_'))) return undefined;
    const text = node['#text'];
    return typeof text === 'string' ? text : '';
  }
  return undefined;
}

const MISSING = 'missing';

function textProblem(value: unknown): string {
  if (value === undefined) return MISSING;
  if (Array.isArray(value)) return 'appears more than once';
  if (value !== null && typeof value === 'object') return 'contains child elements instead of text';
  return 'is not text';
}

/** A required, non-empty text element, trimmed (inner whitespace and line breaks are kept as sent). */
export const requiredText = z.unknown().optional().transform((value, ctx) => {
  const text = readText(value)?.trim();
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: textProblem(value) });
    return z.NEVER;
  }
  if (text === '') {
    ctx.addIssue({ code: 'custom', message: 'is empty' });
    return z.NEVER;
  }
  return text;
});

function trimmedOrEmpty(value: unknown, ctx: z.RefinementCtx): string {
  if (value === undefined) return '';
  const content = readText(value);
  if (content === undefined) {
    ctx.addIssue({ code: 'custom', message: textProblem(value) });
    return z.NEVER;
  }
  return content.trim();
}

/** A text element that may be absent or empty (both give ''), trimmed. */
export const text = z.unknown().optional().transform(trimmedOrEmpty);

/** An optional text element: absent or empty gives null. */
export const optionalText = z.unknown().optional().transform((value, ctx) => trimmedOrEmpty(value, ctx) || null);

/** A required date element, normalised by toIsoTimestamp. */
export const timestamp = requiredText.transform((value, ctx) => {
  const iso = toIsoTimestamp(value);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `is not a date ("${value}")` });
    return z.NEVER;
  }
  return iso;
});

/** A required whole number element (OpenSearch counts and the like). */
export const wholeNumber = requiredText
  .pipe(z.string().regex(/^\d+$/, 'is not a whole number'))
  .transform((value) => Number(value));

/** The trimmed text of a parsed element without validating it (null when it is not text). */
export function peekText(value: unknown): string | null {
  return readText(value)?.trim() ?? null;
}

/** An element with children or attributes (a loose object; unknown children are ignored). */
export function element<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.looseObject(shape, {
    error: (issue) => (issue.input === undefined ? MISSING : issue.input === '' ? 'is empty' : 'is not an element with content'),
  });
}

/** A repeated element (the parser makes it an array whenever present); absent gives []. */
export function repeated<Item extends z.ZodType>(item: Item) {
  return z.array(item).optional().transform((items) => items ?? []);
}

/** A required, non-empty attribute of the element being validated. */
export const requiredAttribute = z.unknown().optional().transform((value, ctx) => {
  if (typeof value !== 'string') {
    ctx.addIssue({ code: 'custom', message: value === undefined ? MISSING : 'is not text' });
    return z.NEVER;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    ctx.addIssue({ code: 'custom', message: 'is empty' });
    return z.NEVER;
  }
  return trimmed;
});

function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') {
      const last = parts.pop() ?? '<?>';
      parts.push(`${last.slice(0, -1)} #${key + 1}>`);
    } else {
      const name = String(key);
      if (name === '#text') continue;
      parts.push(name.startsWith('@_') ? `@${name.slice(2)}` : `<${name}>`);
    }
  }
  return parts.join('/');
}

/** One readable sentence per problem, e.g. "missing <id> in entry 3", "<author #2>/<name> is empty in entry 3". */
export function describeIssues(error: z.ZodError, where: string): string {
  const sentences = error.issues.slice(0, 3).map((issue) => {
    const path = describePath(issue.path);
    const missing = issue.message === MISSING || (issue.code === 'invalid_type' && issue.expected === 'nonoptional');
    if (missing) return `missing ${path || 'element'} in ${where}`;
    return path ? `${path} ${issue.message} in ${where}` : `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more problems)` : '';
  return sentences.join('; ') + more;
}

/** Validates one parsed node against `schema`, throwing ArxivFormatError that names `where` on failure. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, source: ArxivSource, where: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ArxivFormatError(source, describeIssues(result.error, where));
  return result.data;
}

// ---------------------------------------------------------------------------------------------
// Domain validation
// ---------------------------------------------------------------------------------------------

const isoTimestamp = z.iso.datetime({ error: 'is not an ISO timestamp' });

/** The domain record every source produces; validated once per record at the edge. */
export const paperRecordSchema = z.object({
  id: z.string().refine((id) => parseArxivId(id)?.version === null, 'is not a versionless arXiv id'),
  version: z.number().int().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.object({ name: z.string().min(1), affiliations: z.array(z.string().min(1)) })),
  categories: z.array(z.string().min(1)).min(1, 'no categories'),
  comment: z.string().min(1).nullable(),
  journalRef: z.string().min(1).nullable(),
  doi: z.string().min(1).nullable(),
  license: z.string().min(1).nullable(),
  published: isoTimestamp,
  updated: isoTimestamp,
  versions: z.array(z.object({ version: z.number().int().min(1), submitted: isoTimestamp })).optional(),
});

// ---------------------------------------------------------------------------------------------
// Shared text conventions
// ---------------------------------------------------------------------------------------------

/**
 * Splits an arXiv identifier as the sources send it ("http://arxiv.org/abs/2401.00001v2",
 * "oai:arXiv.org:hep-th/9901001", "arXiv:2401.00001v1") into id and version (null when absent).
 */
export function splitArxivId(raw: string): { id: string; version: number | null } | null {
  const bare = raw.trim()
    .replace(/^https?:\/\/(?:export\.|www\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/\.pdf$/i, '');
  return parseArxivId(bare);
}

/** The values without repeats, each at its first position. */
export function uniqueInOrder(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC?|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[+-]\d{4})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Normalises a date as arXiv sends it (ISO 8601 with or without time/offset, or RFC 2822 like
 * "Mon, 2 Apr 2007 19:18:42 GMT") to UTC "YYYY-MM-DDTHH:MM:SSZ". A date without time means midnight
 * UTC; a time without an offset is taken as UTC. Returns null for anything else.
 */
export function toIsoTimestamp(raw: string): string | null {
  const value = raw.trim();
  let millis: number;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
    millis = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    if (Number.isNaN(millis) || new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() !== Number(day)) return null;
  } else if (RFC_2822.test(value)) {
    millis = Date.parse(value);
  } else {
    return null;
  }
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The calendar date (YYYY-MM-DD) a timestamp names in its own offset: "Thu, 24 Sep 2026 00:00:00 -0400"
 * is 2026-09-24 (an announcement day in New York), not the UTC date. Null when unparseable.
 */
export function toCalendarDate(raw: string): string | null {
  const value = raw.trim();
  if (toIsoTimestamp(value) === null) return null;
  const iso = ISO_DATE.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const rfc = RFC_2822.exec(value)!;
  const month = MONTHS.indexOf(rfc[2]!.toLowerCase());
  if (month === -1) return null;
  return `${rfc[3]}-${String(month + 1).padStart(2, '0')}-${rfc[1]!.padStart(2, '0')}`;
}

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const NUMBERED_REFS = /^\s*\d+(?:\s*(?:,|and|&)\s*\d+)*\s*$/;

/** Splits at depth 0 (outside (…) and […]) wherever `separator` matches. */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const sticky = new RegExp(separator.source, `${separator.flags.replace('g', '')}y`);
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '(' || char === '[') depth += 1;
    else if ((char === ')' || char === ']') && depth > 0) depth -= 1;
    else if (depth === 0) {
      sticky.lastIndex = i;
      const match = sticky.exec(text);
      if (match && match[0].length > 0) {
        pieces.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** "Name (Aff A) (Aff B)" → name and the contents of its top-level parenthesised groups. */
function splitTrailingGroups(piece: string): { name: string; groups: string[] } {
  const groups: string[] = [];
  let depth = 0;
  let name = '';
  let current = '';
  for (const char of piece) {
    if (char === '(') {
      if (depth > 0) current += char;
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        groups.push(current.trim());
        current = '';
      } else current += char;
    } else if (depth > 0) current += char;
    else if (groups.length === 0) name += char;
  }
  if (depth > 0 && current.trim() !== '') groups.push(current.trim());
  return { name: name.trim(), groups };
}

/** "(1) Argonne National Laboratory, (2) Michigan State University" → {1: …, 2: …}. */
function parseAffiliationLegend(group: string): Map<string, string> | null {
  if (!/^\(\s*\d+\s*\)/.test(group)) return null;
  const legend = new Map<string, string>();
  const parts = group.split(/\(\s*(\d+)\s*\)/);
  for (let i = 1; i < parts.length; i += 2) {
    const affiliation = parts[i + 1]!.trim().replace(/[,;]\s*$/, '').trim();
    if (affiliation) legend.set(parts[i]!, affiliation);
  }
  return legend;
}

/**
 * Splits an author list as one string ("A. Author, B. Author and C. Author", arXivRaw's `<authors>`,
 * the feeds' `dc:creator`) into authors in order. Affiliations in parentheses are kept, including
 * arXiv's numbered form "A. Author (1), B. Author (1 and 2) ((1) Univ X, (2) Univ Y)"; "Jr." and
 * similar suffixes stay with the preceding name. Whitespace inside names is collapsed.
 */
export function splitAuthorList(raw: string): PaperAuthor[] {
  const textValue = raw.replace(/\s+/g, ' ').trim();
  if (textValue === '') return [];
  const pieces = splitOutsideBrackets(textValue, /\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*|\s+&\s+/).map((p) => p.trim()).filter(Boolean);
  const authors: Array<{ name: string; affiliations: string[]; refs: string[] }> = [];
  const legend = new Map<string, string>();
  for (const piece of pieces) {
    if (NAME_SUFFIX.test(piece) && authors.length > 0) {
      authors[authors.length - 1]!.name += `, ${piece}`;
      continue;
    }
    const { name, groups } = splitTrailingGroups(piece);
    const affiliations: string[] = [];
    const refs: string[] = [];
    for (const group of groups) {
      const entries = parseAffiliationLegend(group);
      if (entries) for (const [key, value] of entries) legend.set(key, value);
      else if (NUMBERED_REFS.test(group)) refs.push(...(group.match(/\d+/g) ?? []));
      else if (group) affiliations.push(group);
    }
    if (name) authors.push({ name, affiliations, refs });
    else if (authors.length > 0) authors[authors.length - 1]!.affiliations.push(...affiliations);
  }
  return authors.map(({ name, affiliations, refs }) => ({
    name,
    affiliations: uniqueInOrder([...affiliations, ...refs.flatMap((ref) => legend.get(ref) ?? [])]),
  }));
}

/** Collapses whitespace in a service message for an error text. */
export function collapse(textValue: string): string {
  return textValue.replace(/\s+/g, ' ').trim();
}
