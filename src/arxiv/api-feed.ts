/**
 * The arXiv API's Atom feed (export.arxiv.org/api/query) → PaperRecord[].
 * https://info.arxiv.org/help/api/user-manual.html#_details_of_atom_results_returned
 */
import { z } from 'zod';
import type { PaperRecord } from '../domain/paper.ts';
import {
  ArxivApiError,
  ArxivFormatError,
  collapse,
  element,
  optionalText,
  paperRecordSchema,
  parseXmlDocument,
  peekText,
  repeated,
  requiredAttribute,
  requiredText,
  rootElement,
  splitArxivId,
  text,
  timestamp,
  uniqueInOrder,
  validate,
  wholeNumber,
} from './xml.ts';

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

/**
 * Parses one page of an arXiv API response. Throws ArxivApiError when the body is the API's error
 * entry (e.g. "incorrect id format for abc", sent with HTTP 400), ArxivFormatError when the XML is
 * malformed or truncated or an entry lacks what the API documents. An empty result is a page with
 * records: [].
 */
export function parseApiFeed(xml: string): ApiFeedPage {
  const doc = parseXmlDocument(xml, 'api', (name) => ARRAY_TAGS.has(name));
  const root = rootElement(doc, 'api');
  if (root.name !== 'feed') throw new ArxivFormatError('api', `expected an Atom <feed> root element, found <${root.name}>`);
  const feedNode = root.node === '' ? {} : root.node;
  const entries: unknown[] = Array.isArray((feedNode as Record<string, unknown> | null)?.['entry'])
    ? ((feedNode as Record<string, unknown>)['entry'] as unknown[])
    : [];

  for (const entry of entries) {
    const node = entry as Record<string, unknown> | null;
    const id = peekText(node?.['id']) ?? '';
    const error = ERROR_ID.exec(id);
    if (error) {
      const message = collapse(peekText(node?.['summary']) ?? '') || collapse(peekText(node?.['title']) ?? '') || 'unspecified error';
      throw new ArxivApiError('api', error[1] ? decodeURIComponent(error[1]) : 'error', message);
    }
  }

  const page = validate(feedSchema, feedNode, 'api', 'the <feed>');
  const records = entries.map((entry, index) => validate(entrySchema, entry, 'api', `entry ${index + 1}`));
  return { totalResults: page.totalResults, startIndex: page.startIndex, itemsPerPage: page.itemsPerPage, records };
}
