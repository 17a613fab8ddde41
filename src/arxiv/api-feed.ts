/**
 * The arXiv API's Atom feed (export.arxiv.org/api/query) → PaperRecord[].
 * https://info.arxiv.org/help/api/user-manual.html#_details_of_atom_results_returned
 */
import { z } from 'zod';
import type { PaperRecord } from '../domain/paper.ts';
import { uniqueInOrder } from '../domain/collections.ts';
import { collapseWhitespace } from '../domain/whitespace.ts';
import { toIsoTimestamp } from './dates.ts';
import { ArxivApiError, ArxivFormatError } from './errors.ts';
import { splitArxivId } from './ids.ts';
import { paperRecordSchema } from './paper-schema.ts';
import { parseXmlDocument, type RootChildReader, rootElement } from './xml/reader.ts';
import {
  describeIssues,
  element,
  optionalText,
  peekText,
  repeated,
  requiredAttribute,
  requiredText,
  text,
  timestamp,
  validate,
  wholeNumber,
} from './xml/schema.ts';

export interface ApiFeedPage {
  /** opensearch:totalResults: how many entries the whole query matches. */
  totalResults: number;
  /** opensearch:startIndex: 0-based offset of this page. */
  startIndex: number;
  /** opensearch:itemsPerPage: the page size asked for (the last page holds fewer entries). */
  itemsPerPage: number;
  records: PaperRecord[];
}

const ARRAY_TAGS = new Set(['entry', 'author', 'link', 'category', 'affiliation']);

/** The API reports errors as an entry whose id is http://arxiv.org/api/errors#<code>. */
const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors(?:#(.*))?$/i;

const feedSchema = element({
  totalResults: wholeNumber,
  startIndex: wholeNumber,
  itemsPerPage: wholeNumber,
});

const termSchema = element({ '@_term': requiredAttribute });

const entrySchema = element({
  id: requiredText,
  title: requiredText,
  summary: text,
  published: timestamp,
  updated: timestamp,
  author: repeated(element({ name: requiredText, affiliation: repeated(text) })),
  category: repeated(termSchema),
  primary_category: termSchema.optional(),
  comment: optionalText,
  journal_ref: optionalText,
  doi: optionalText,
})
  .transform((entry, ctx): PaperRecord => {
    const parsed = splitArxivId(entry.id);
    if (parsed === null || parsed.version === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: parsed === null ? `is not an arXiv abstract URL ("${entry.id}")` : `has no version ("${entry.id}")`,
      });
      return z.NEVER;
    }
    const categories = uniqueInOrder([
      ...(entry.primary_category ? [entry.primary_category['@_term']] : []),
      ...entry.category.map((category) => category['@_term']),
    ]);
    return {
      id: parsed.id,
      version: parsed.version,
      title: entry.title,
      abstract: entry.summary,
      authors: entry.author.map((author) => ({ name: author.name, affiliations: uniqueInOrder(author.affiliation.filter(Boolean)) })),
      categories,
      comment: entry.comment,
      journalRef: entry.journal_ref,
      doi: entry.doi,
      license: null,
      published: entry.published,
      updated: entry.updated,
    };
  })
  .pipe(paperRecordSchema);

function isElement(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What one entry turned into while the page was read. An error entry keeps its code as sent: it is
 * decoded (decodeURIComponent, which may throw) only when it is reported, as it always was.
 */
type EntryOutcome = { record: PaperRecord } | { apiError: { fragment: string | undefined; message: string } } | { formatError: string };

/** One entry's parsed node (as parseXmlDocument builds it) → its outcome, exactly as entrySchema says. */
function readEntryNode(node: unknown, index: number): EntryOutcome {
  const entry = isElement(node) ? node : null;
  const error = ERROR_ID.exec(peekText(entry?.['id']) ?? '');
  if (error) {
    const message = collapseWhitespace(peekText(entry?.['summary']) ?? '') || collapseWhitespace(peekText(entry?.['title']) ?? '') || 'unspecified error';
    return { apiError: { fragment: error[1], message } };
  }
  const result = entrySchema.safeParse(node);
  return result.success ? { record: result.data } : { formatError: describeIssues(result.error, `entry ${index + 1}`) };
}

/** The error code as sent, percent-decoded; a broken escape (decodeURIComponent's URIError) keeps the raw text. */
function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Trimmed; null when empty. */
function nonEmpty(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The `term` attribute as parseXmlDocument would name it (`@_term`, whatever its prefix), trimmed; null when absent or empty. */
function termOf(attributes: Readonly<Record<string, string>>): string | null {
  let term: string | null = null;
  for (const name in attributes) {
    if (name === 'term' || (name.endsWith(':term') && !name.startsWith('xmlns:'))) term = attributes[name]!;
  }
  return nonEmpty(term);
}

/** Trimmed, without empty ones and repeats (uniqueInOrder of the non-empty trimmed values). */
function distinctNonEmpty(values: readonly string[]): string[] {
  const result: string[] = [];
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed !== '' && !result.includes(trimmed)) result.push(trimmed);
  }
  return result;
}

/** The entry's children read as text (each at most once, with no child elements). */
const TEXT_FIELDS = ['id', 'title', 'summary', 'published', 'updated', 'comment', 'journal_ref', 'doi'] as const;
const TEXT_FIELD_INDEX = new Map<string, number>(TEXT_FIELDS.map((name, index) => [name, index]));
const ID = 0, TITLE = 1, SUMMARY = 2, PUBLISHED = 3, UPDATED = 4, COMMENT = 5, JOURNAL_REF = 6, DOI = 7;

/** Which text is being collected. */
const NOTHING = 0, ENTRY_FIELD = 1, AUTHOR_NAME = 2, AFFILIATION = 3;

/**
 * Reads each <entry> straight from the parser's events into its PaperRecord when it has the shape
 * (nearly) every API entry has. Anything else (a missing, repeated or odd field, an error entry) is
 * set aside and, once the entry has closed, read again as a parsed node through entrySchema itself,
 * so every problem is reported in its words and every record is the one entrySchema would give.
 */
class EntryReader implements RootChildReader {
  readonly outcomes: EntryOutcome[] = [];
  private readonly xml: string;
  private start = 0;
  /** Something entrySchema may see differently: read this entry the slow way. */
  private unusual = false;
  private readonly fields: Array<string | null> = new Array<string | null>(TEXT_FIELDS.length).fill(null);
  private primary: string | null = null;
  /** Terms of the <category> elements (reused between entries; record() copies them). */
  private readonly categories: string[] = [];
  private authors: PaperRecord['authors'] = [];
  private authorName: string | null = null;
  /** Texts of the current author's <affiliation> elements (reused between authors). */
  private readonly affiliations: string[] = [];
  private collecting = NOTHING;
  private field = 0;
  private collectDepth = 0;
  private buffer = '';
  private inAuthor = false;

  constructor(xml: string) {
    this.xml = xml;
  }

  begin(rootName: string, name: string, start: number): boolean {
    if (rootName !== 'feed' || name !== 'entry') return false;
    this.start = start;
    this.unusual = false;
    this.fields.fill(null);
    this.primary = null;
    this.categories.length = 0;
    this.authors = [];
    this.inAuthor = false;
    this.collecting = NOTHING;
    return true;
  }

  open(name: string, depth: number, attributes: Readonly<Record<string, string>>): void {
    if (this.collecting !== NOTHING) {
      // A child element inside a text field.
      this.unusual = true;
      return;
    }
    if (depth === 1) {
      const field = TEXT_FIELD_INDEX.get(name);
      if (field !== undefined) {
        if (this.fields[field] !== null) this.unusual = true;
        this.startCollecting(ENTRY_FIELD, depth, field);
      } else if (name === 'author') {
        this.inAuthor = true;
        this.authorName = null;
        this.affiliations.length = 0;
      } else if (name === 'category' || name === 'primary_category') {
        const term = termOf(attributes);
        if (term === null || (name === 'primary_category' && this.primary !== null)) this.unusual = true;
        else if (name === 'primary_category') this.primary = term;
        else this.categories.push(term);
      }
    } else if (depth === 2 && this.inAuthor) {
      if (name === 'name') {
        if (this.authorName !== null) this.unusual = true;
        this.startCollecting(AUTHOR_NAME, depth, 0);
      } else if (name === 'affiliation') {
        this.startCollecting(AFFILIATION, depth, 0);
      }
    }
  }

  private startCollecting(what: number, depth: number, field: number): void {
    this.collecting = what;
    this.collectDepth = depth;
    this.field = field;
    this.buffer = '';
  }

  text(data: string): void {
    if (this.collecting !== NOTHING) this.buffer += data;
  }

  close(depth: number): void {
    if (this.collecting !== NOTHING && depth === this.collectDepth) {
      if (this.collecting === ENTRY_FIELD) this.fields[this.field] = this.buffer;
      else if (this.collecting === AUTHOR_NAME) this.authorName = this.buffer;
      else this.affiliations.push(this.buffer);
      this.collecting = NOTHING;
    } else if (depth === 1 && this.inAuthor) {
      this.inAuthor = false;
      const name = nonEmpty(this.authorName);
      if (name === null) this.unusual = true;
      else this.authors.push({ name, affiliations: distinctNonEmpty(this.affiliations) });
    }
  }

  end(end: number): unknown {
    const index = this.outcomes.length;
    const record = this.unusual ? null : this.record();
    if (record !== null) {
      this.outcomes.push({ record });
    } else {
      const doc = parseXmlDocument(this.xml.slice(this.start, end), 'api', (name) => ARRAY_TAGS.has(name));
      this.outcomes.push(readEntryNode(doc['entry'], index));
    }
    return null;
  }

  /** The record entrySchema gives for the fields read, or null when it might not give one. */
  private record(): PaperRecord | null {
    const { fields } = this;
    const idText = nonEmpty(fields[ID]!);
    const title = nonEmpty(fields[TITLE]!);
    if (idText === null || title === null || ERROR_ID.test(idText)) return null;
    const published = timestampOf(fields[PUBLISHED]!);
    const updated = timestampOf(fields[UPDATED]!);
    if (published === null || updated === null) return null;
    const parsed = splitArxivId(idText);
    if (parsed === null || parsed.version === null || !Number.isSafeInteger(parsed.version) || parsed.version < 1) return null;
    const categories: string[] = this.primary === null ? [] : [this.primary];
    for (const category of this.categories) if (!categories.includes(category)) categories.push(category);
    if (categories.length === 0) return null;
    return {
      id: parsed.id,
      version: parsed.version,
      title,
      abstract: fields[SUMMARY]?.trim() ?? '',
      authors: this.authors,
      categories,
      comment: nonEmpty(fields[COMMENT]!),
      journalRef: nonEmpty(fields[JOURNAL_REF]!),
      doi: nonEmpty(fields[DOI]!),
      license: null,
      published,
      updated,
    };
  }
}

/** toIsoTimestamp of a required text, restricted to what paperRecordSchema accepts (four-digit years). */
function timestampOf(value: string | null): string | null {
  const content = nonEmpty(value);
  const iso = content === null ? null : toIsoTimestamp(content);
  return iso !== null && iso.length === 20 ? iso : null;
}

/**
 * Parses one page of an arXiv API response. Throws ArxivApiError when the body is the API's error
 * entry (e.g. "incorrect id format for abc", sent with HTTP 400), ArxivFormatError when the XML is
 * malformed or truncated or an entry lacks what the API documents. An empty result is a page with
 * records: [].
 */
export function parseApiFeed(xml: string): ApiFeedPage {
  // Entries become records while the document is read; problems wait until all of it has been read,
  // so what is reported is, in order: malformed XML, an API error entry, the <feed>, the first bad entry.
  const entries = new EntryReader(typeof xml === 'string' ? xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml : '');
  const doc = parseXmlDocument(xml, 'api', (name) => ARRAY_TAGS.has(name), entries);
  const root = rootElement(doc, 'api');
  if (root.name !== 'feed') throw new ArxivFormatError('api', `expected an Atom <feed> root element, found <${root.name}>`);
  const feedNode = root.node === '' ? {} : root.node;

  for (const outcome of entries.outcomes) {
    if ('apiError' in outcome) {
      const { fragment, message } = outcome.apiError;
      throw new ArxivApiError('api', fragment ? decodeFragment(fragment) : 'error', message);
    }
  }
  const page = validate(feedSchema, feedNode, 'api', 'the <feed>');
  const records: PaperRecord[] = [];
  for (const outcome of entries.outcomes) {
    if ('formatError' in outcome) throw new ArxivFormatError('api', outcome.formatError);
    if ('record' in outcome) records.push(outcome.record);
  }
  return { totalResults: page.totalResults, startIndex: page.startIndex, itemsPerPage: page.itemsPerPage, records };
}
