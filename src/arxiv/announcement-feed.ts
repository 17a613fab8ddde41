/**
 * rss.arxiv.org announcement feeds → the day's announcements. Both forms arXiv serves:
 * RSS 2.0 (https://rss.arxiv.org/rss/cs.LG) and Atom (https://rss.arxiv.org/atom/cs.LG).
 * https://info.arxiv.org/help/rss_specifications.html
 */
import { z } from 'zod';
import type { AnnounceType } from '../domain/paper.ts';
import { uniqueInOrder } from '../domain/collections.ts';
import { splitAuthorList } from './authors.ts';
import { toCalendarDate } from './dates.ts';
import { ArxivFormatError } from './errors.ts';
import { splitArxivId } from './ids.ts';
import { parseXmlDocument, rootElement } from './xml/reader.ts';
import { element, optionalText, repeated, requiredText, text, validate } from './xml/schema.ts';

export interface AnnouncementEntry {
  id: string;
  version: number;
  announceType: AnnounceType;
  /** YYYY-MM-DD: the announcement (mailing) date, from the item's pubDate / the entry's published. */
  announcedOn: string;
  title: string;
  abstract: string;
  /** Author names in order, split from dc:creator (the feeds carry no affiliations). */
  authors: string[];
  /** In the feed's order, which does not always put the primary category first. */
  categories: string[];
  /** dc:rights (RSS) / rights (Atom): the license URL. */
  license: string | null;
  /** arxiv:DOI, when the feed has it. */
  doi: string | null;
  /** arxiv:journal_reference, when the feed has it. */
  journalRef: string | null;
}

export interface AnnouncementFeed {
  /** YYYY-MM-DD of the announcement day the feed is for (channel pubDate, else lastBuildDate; Atom: updated). */
  feedDate: string | null;
  /** Empty on days without announcements (weekends, holidays): that is a valid feed. */
  entries: AnnouncementEntry[];
}

const ANNOUNCE_TYPES = ['new', 'cross', 'replace', 'replace-cross'] as const satisfies readonly AnnounceType[];
const announceTypeSchema = z.enum(ANNOUNCE_TYPES);

const ARRAY_TAGS = new Set(['item', 'entry', 'category', 'creator', 'author', 'link', 'day']);

/** "arXiv:2401.00001v2 Announce Type: replace  Abstract: …" */
const DESCRIPTION = /^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?/i;

const rssItemSchema = element({
  title: requiredText,
  // <link> and <atom:link> share a local name, so links are always a list.
  link: repeated(text),
  description: text,
  guid: optionalText,
  category: repeated(text),
  pubDate: optionalText,
  announce_type: optionalText,
  rights: optionalText,
  creator: repeated(text),
  DOI: optionalText,
  journal_reference: optionalText,
});

const atomEntrySchema = element({
  id: optionalText,
  title: requiredText,
  summary: text,
  link: repeated(element({ '@_href': z.string().optional(), '@_rel': z.string().optional() })),
  category: repeated(element({ '@_term': z.string().optional() })),
  published: optionalText,
  updated: optionalText,
  announce_type: optionalText,
  rights: optionalText,
  creator: repeated(text),
  author: repeated(element({ name: text })),
  DOI: optionalText,
  journal_reference: optionalText,
});

/** The fields both feed forms carry, before they are checked and converted together. */
interface RawEntry {
  idCandidates: Array<string | null>;
  description: string;
  announceType: string | null;
  date: string | null;
  title: string;
  creators: string[];
  categories: string[];
  license: string | null;
  doi: string | null;
  journalRef: string | null;
}

const entrySchema = z
  .custom<RawEntry>()
  .transform((raw, ctx): AnnouncementEntry => {
    const description = DESCRIPTION.exec(raw.description);
    const abstract = description ? raw.description.slice(description[0].length).trim() : raw.description;

    const ids = [...raw.idCandidates, description?.[1] ?? null]
      .filter((candidate): candidate is string => candidate !== null && candidate !== '')
      .map((candidate) => ({ candidate, parsed: splitArxivId(candidate) }));
    const withVersion = ids.find(({ parsed }) => parsed !== null && parsed.version !== null)?.parsed;
    if (!withVersion) {
      const seen = ids.map(({ candidate }) => `"${candidate}"`).join(', ');
      ctx.addIssue({ code: 'custom', message: ids.length === 0 ? 'has no arXiv id' : `has no versioned arXiv id (saw ${seen})` });
      return z.NEVER;
    }

    const announceType = announceTypeSchema.safeParse(raw.announceType ?? description?.[2]);
    if (!announceType.success) {
      ctx.addIssue({ code: 'custom', message: raw.announceType ?? description?.[2] ? `has an unknown announce type "${raw.announceType ?? description?.[2]}"` : 'has no announce type' });
      return z.NEVER;
    }

    const announcedOn = raw.date === null ? null : toCalendarDate(raw.date);
    if (announcedOn === null) {
      ctx.addIssue({ code: 'custom', message: raw.date === null ? 'has no announcement date' : `has an unreadable date "${raw.date}"` });
      return z.NEVER;
    }

    return {
      id: withVersion.id,
      version: withVersion.version!,
      announceType: announceType.data,
      announcedOn,
      title: raw.title,
      abstract,
      authors: raw.creators.flatMap((creator) => splitAuthorList(creator).map((author) => author.name)),
      categories: uniqueInOrder(raw.categories.filter(Boolean)),
      license: raw.license,
      doi: raw.doi,
      journalRef: raw.journalRef,
    };
  })
  .pipe(
    z.object({
      id: z.string().min(1),
      version: z.number().int().min(1),
      announceType: announceTypeSchema,
      announcedOn: z.iso.date(),
      title: z.string().min(1),
      abstract: z.string(),
      authors: z.array(z.string().min(1)),
      categories: z.array(z.string().min(1)).min(1, 'has no categories'),
      license: z.string().min(1).nullable(),
      doi: z.string().min(1).nullable(),
      journalRef: z.string().min(1).nullable(),
    }),
  );

function firstDate(...candidates: Array<string | null>): string | null {
  for (const candidate of candidates) {
    const date = candidate === null ? null : toCalendarDate(candidate);
    if (date !== null) return date;
  }
  return null;
}

function asRecord(node: unknown): Record<string, unknown> {
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
}

function asArray(node: unknown): unknown[] {
  return Array.isArray(node) ? node : [];
}

function parseRss(root: unknown): AnnouncementFeed {
  const channelNode = asRecord(root)['channel'];
  if (channelNode === undefined) throw new ArxivFormatError('rss', 'missing <channel> in the RSS feed');
  const channel = validate(element({ pubDate: optionalText, lastBuildDate: optionalText }), channelNode === '' ? {} : channelNode, 'rss', 'the <channel>');
  const feedDate = firstDate(channel.pubDate, channel.lastBuildDate);
  const entries = asArray(asRecord(channelNode)['item']).map((node, index) => {
    const where = `item ${index + 1}`;
    const item = validate(rssItemSchema, node, 'rss', where);
    const raw: RawEntry = {
      idCandidates: [item.guid, ...item.link],
      description: item.description,
      announceType: item.announce_type,
      date: item.pubDate ?? channel.pubDate,
      title: item.title,
      creators: item.creator,
      categories: item.category,
      license: item.rights,
      doi: item.DOI,
      journalRef: item.journal_reference,
    };
    return validate(entrySchema, raw, 'rss', where);
  });
  return { feedDate, entries };
}

function parseAtom(root: unknown): AnnouncementFeed {
  const feedNode = root === '' ? {} : root;
  const feed = validate(element({ updated: optionalText, title: text }), feedNode, 'rss', 'the <feed>');
  if (/feed error/i.test(feed.title)) throw new ArxivFormatError('rss', `the feed reports an error: "${feed.title}"`);
  const feedDate = firstDate(feed.updated);
  const entries = asArray(asRecord(feedNode)['entry']).map((node, index) => {
    const where = `entry ${index + 1}`;
    const entry = validate(atomEntrySchema, node, 'rss', where);
    const alternate = entry.link.find((link) => (link['@_rel'] ?? 'alternate') === 'alternate')?.['@_href'] ?? null;
    const raw: RawEntry = {
      idCandidates: [entry.id, alternate],
      description: entry.summary,
      announceType: entry.announce_type,
      date: entry.published ?? entry.updated ?? feed.updated,
      title: entry.title,
      creators: entry.creator.length > 0 ? entry.creator : entry.author.map((author) => author.name).filter(Boolean),
      categories: entry.category.map((category) => category['@_term']?.trim() ?? ''),
      license: entry.rights,
      doi: entry.DOI,
      journalRef: entry.journal_reference,
    };
    return validate(entrySchema, raw, 'rss', where);
  });
  return { feedDate, entries };
}

/**
 * Parses an rss.arxiv.org feed, RSS 2.0 or Atom. A day without announcements parses to entries: [].
 * Throws ArxivFormatError for malformed or truncated XML, for an item without a versioned id, a
 * known announce type or a date, and for feeds that are neither RSS 2.0 nor Atom.
 */
export function parseAnnouncementFeed(xml: string): AnnouncementFeed {
  const doc = parseXmlDocument(xml, 'rss', (name) => ARRAY_TAGS.has(name));
  const root = rootElement(doc, 'rss');
  if (root.name === 'rss') return parseRss(root.node);
  if (root.name === 'feed') return parseAtom(root.node);
  throw new ArxivFormatError('rss', `expected an RSS 2.0 <rss> or Atom <feed> root element, found <${root.name}>`);
}
