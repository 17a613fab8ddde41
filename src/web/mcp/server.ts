/**
 * papersift as an MCP server (the official SDK): tools over the read models of src/digest — search,
 * a day's digest, a paper, an author, similar papers — each with an input schema and structured
 * output, and resources for a day's digest and a paper that clients can attach. The transports
 * (stdio for `papersift mcp`, Streamable HTTP at /mcp of `serve`) are in stdio.ts and http.ts.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { parseArxivId } from '../../arxiv/ids.ts';
import { getAuthorProfile } from '../../digest/author-profile.ts';
import { loadPaperDetails } from '../../digest/cards.ts';
import { DigestNotFoundError, getDigest } from '../../digest/digest-query.ts';
import { searchPapers } from '../../digest/search.ts';
import { similarPapers } from '../../digest/similar.ts';
import { TAXONOMY } from '../../domain/taxonomy.ts';
import type { AppContext } from '../../pipeline/context.ts';
import { isoDateParam, MAX_AUTHOR_ID } from '../params.ts';
import { updateFrequencyHours } from '../../pipeline/scheduler.ts';
import { recordFeedback } from '../../pipeline/library.ts';
import type { Reader } from '../../store/repositories/readers.ts';
import type { PersonalDigests } from '../readers/personal-digest.ts';
import { authorOutput, digestOutput, paperOutput, personalDigestOutput, savedOutput, searchOutput, similarOutput, toAuthorOutput, toCardOutput, toHitOutput, toPaperOutput } from './shapes.ts';

export type McpDeps = Pick<AppContext, 'store' | 'config' | 'arxiv' | 'logger' | 'progress'>;

/** Who the tools act for, when anyone: the reader's tools (my_digest, save_paper) exist only then. */
export interface McpReader {
  reader: Reader;
  digests: PersonalDigests;
}

/** Result sizes: an assistant's context is the scarce resource. */
export const MCP_LIMITS = { searchPerPage: 25, digestPapers: 100, similar: 20, queryLength: 200 } as const;

const VERSION = '1.0.0';

const isoDate = isoDateParam;
const arxivId = z.string().min(1).max(40).describe('An arXiv id, new style (2606.14721) or old (hep-th/9901001), optionally with a version or an arXiv: prefix');

/** An MCP error the client shows as the tool's or resource's failure; the message says what to change. */
const invalid = (message: string) => new McpError(ErrorCode.InvalidParams, message);

function parseId(value: string): string {
  const parsed = parseArxivId(value.trim());
  if (!parsed) throw invalid(`"${value.slice(0, 60)}" is not an arXiv id (e.g. 2606.14721 or hep-th/9901001)`);
  return parsed.id;
}

/** A tool answer: the structured content, and the same as JSON text for clients that read only text. */
const answer = <T extends Record<string, unknown>>(structured: T) => ({ content: [{ type: 'text' as const, text: JSON.stringify(structured) }], structuredContent: structured });

const json = (uri: string, value: unknown) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value) }] });

/**
 * One server with the public tools and resources, and, when the transport names a reader (http.ts from
 * the request's Bearer token or owner mode, stdio.ts from `--reader` or owner mode), that reader's
 * tools: `my_digest` and `save_paper`. A reader's tools act on that reader only: no tool takes a reader.
 */
export function createMcpServer(deps: McpDeps, forReader: McpReader | null = null): McpServer {
  const { store, config } = deps;
  const server = new McpServer({ name: 'papersift', title: "papersift: today's ML research, without the noise", version: VERSION }, { instructions: 'Read the daily digest of arXiv ML papers that papersift selects, search every stored paper, and look up papers, authors and similar work. Ids are arXiv ids; author ids come from the papers.' });

  const digestOf = async (date: string | undefined, limit: number) => {
    try {
      const digest = await getDigest(store, { date, historyDays: config.historyDays, updateFrequencyHours: updateFrequencyHours(config.schedule), categories: config.categories, calendar: deps.arxiv.calendar });
      return {
        date: digest.date,
        isLatest: digest.isLatest,
        days: digest.days,
        papersInDigest: digest.stats.papersToday,
        papersAnnounced: digest.stats.papersAnnounced,
        papers: digest.papers.slice(0, limit).map(toCardOutput),
      };
    } catch (error) {
      if (error instanceof DigestNotFoundError) throw invalid(error.message);
      throw error;
    }
  };

  const paperOf = async (id: string) => {
    const [paper] = await loadPaperDetails(store, [id]);
    if (!paper) throw invalid(`no paper ${id} in this papersift`);
    return toPaperOutput(paper);
  };

  server.registerTool(
    'search_papers',
    {
      title: 'Search papers',
      description: 'Full-text search over title, abstract, authors and summaries of every stored paper, best matches first. Give a query, a filter, or both.',
      inputSchema: {
        query: z.string().max(MCP_LIMITS.queryLength).default('').describe('Words (all must occur), "quoted phrases", a trailing * for a prefix'),
        from: isoDate.optional().describe('Announced on or after (YYYY-MM-DD)'),
        to: isoDate.optional().describe('Announced on or before (YYYY-MM-DD)'),
        tag: z.enum(TAXONOMY).optional().describe("A topic of papersift's taxonomy"),
        category: z.string().regex(/^[a-z-]+(\.[A-Za-z-]+)?$/, 'expected an arXiv category such as cs.LG').optional(),
        hasCode: z.boolean().optional().describe('true: only papers with a code link; false: only without'),
        page: z.number().int().min(1).max(1000).default(1),
        perPage: z.number().int().min(1).max(MCP_LIMITS.searchPerPage).default(10),
      },
      outputSchema: searchOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, ...filters }) => {
      if (filters.from && filters.to && filters.from > filters.to) throw invalid('from must not be after to');
      const q = query.trim();
      const filtered = filters.from !== undefined || filters.to !== undefined || filters.tag !== undefined || filters.category !== undefined || filters.hasCode !== undefined;
      if (!q && !filtered) throw invalid('give a query, or at least one filter (from, to, tag, category, hasCode)');
      const results = await searchPapers(store, { q, ...filters });
      return answer({ query: results.query, total: results.total, page: results.page, pages: results.pages, hits: results.hits.map(toHitOutput) });
    },
  );

  server.registerTool(
    'get_digest',
    {
      title: "Get a day's digest",
      description: "The papers papersift selected for an arXiv announcement day (the latest by default), best first, each with why it was selected, its summary and scores.",
      inputSchema: {
        date: isoDate.optional().describe('The announcement day (YYYY-MM-DD); the latest when omitted'),
        limit: z.number().int().min(1).max(MCP_LIMITS.digestPapers).default(50).describe('Papers returned at most'),
      },
      outputSchema: digestOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ date, limit }) => answer(await digestOf(date, limit)),
  );

  server.registerTool(
    'get_paper',
    {
      title: 'Get a paper',
      description: 'One paper by arXiv id: card, abstract, versions, scores, summary sections and the closest earlier papers.',
      inputSchema: { id: arxivId },
      outputSchema: paperOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id }) => answer(await paperOf(parseId(id))),
  );

  server.registerTool(
    'get_author',
    {
      title: 'Get an author profile',
      description: 'A researcher profile by author id (from a paper\'s authors): identity, external ids, figures with their labels, and the listed papers a page at a time.',
      inputSchema: {
        id: z.number().int().min(1).max(MAX_AUTHOR_ID).describe('Author id, as in a paper\'s authors[].id'),
        page: z.number().int().min(1).max(100_000).default(1),
      },
      outputSchema: authorOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id, page }) => {
      const profile = await getAuthorProfile(store, id, { page });
      if (!profile) throw invalid(`no author ${id} in this papersift`);
      return answer(toAuthorOutput(profile));
    },
  );

  server.registerTool(
    'similar_papers',
    {
      title: 'Find similar papers',
      description: 'The papers most like one paper (by arXiv id), earlier and later, from the text similarities its Novelty % is computed from.',
      inputSchema: { id: arxivId, limit: z.number().int().min(1).max(MCP_LIMITS.similar).default(10).describe('Papers returned at most on each side') },
      outputSchema: similarOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id, limit }) => {
      const parsed = parseId(id);
      const similar = await similarPapers(store, parsed, limit);
      if (!similar) throw invalid(`no paper ${parsed} in this papersift`);
      return answer({ ...similar });
    },
  );

  server.registerResource(
    'digest',
    new ResourceTemplate('papersift://digest/{date}', {
      list: async () => {
        const days = await store.digests.historyWindow(config.historyDays);
        return { resources: days.map((day) => ({ uri: `papersift://digest/${day}`, name: `Digest of ${day}`, mimeType: 'application/json' })) };
      },
    }),
    { title: "A day's digest", description: 'The digest of an announcement day (YYYY-MM-DD, or "latest"), as get_digest answers it', mimeType: 'application/json' },
    async (uri, { date }) => {
      const day = String(date);
      if (day !== 'latest' && !isoDate.safeParse(day).success) throw invalid(`"${day.slice(0, 40)}" is not a date as YYYY-MM-DD (or "latest")`);
      return json(uri.href, await digestOf(day === 'latest' ? undefined : day, MCP_LIMITS.digestPapers));
    },
  );

  server.registerResource(
    'paper',
    // Old-style ids hold a slash: a client sends it percent-encoded (papersift://papers/hep-th%2F9901001).
    new ResourceTemplate('papersift://papers/{id}', {
      list: async () => {
        const latest = await digestOf(undefined, MCP_LIMITS.digestPapers).catch(() => null);
        return { resources: (latest?.papers ?? []).map((paper) => ({ uri: `papersift://papers/${encodeURIComponent(paper.id)}`, name: paper.title, mimeType: 'application/json' })) };
      },
    }),
    { title: 'A paper', description: 'One paper by arXiv id, as get_paper answers it; listed: the papers of the latest digest', mimeType: 'application/json' },
    async (uri, { id }) => {
      let raw = String(id);
      try {
        raw = decodeURIComponent(raw);
      } catch {
        throw invalid(`"${raw.slice(0, 60)}" is not a percent-encoded arXiv id`);
      }
      return json(uri.href, await paperOf(parseId(raw)));
    },
  );

  if (forReader) registerReaderTools(server, deps, forReader);
  return server;
}

function registerReaderTools(server: McpServer, deps: McpDeps, { reader, digests }: McpReader): void {
  server.registerTool(
    'my_digest',
    {
      title: 'My digest',
      description: "The reader's own ranking of an announcement day's papers (the latest by default), best first, each with the reasons (similar to a paper of their library, a followed author, a keyword rule).",
      inputSchema: {
        date: isoDate.optional().describe('The announcement day (YYYY-MM-DD); the latest when omitted'),
        limit: z.number().int().min(1).max(MCP_LIMITS.digestPapers).default(20).describe('Papers returned at most'),
      },
      outputSchema: personalDigestOutput.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ date, limit }) => {
      try {
        const digest = await digests(reader.id, date);
        return answer({ date: digest.date, reader: reader.email, papers: digest.papers.slice(0, limit).map((card) => ({ ...toCardOutput(card), personal: card.personal })) });
      } catch (error) {
        if (error instanceof DigestNotFoundError) throw invalid(error.message);
        throw error;
      }
    },
  );

  server.registerTool(
    'save_paper',
    {
      title: 'Save a paper',
      description: "Saves a paper (by arXiv id) for the reader: into their library, and a positive signal for their ranking. Saving twice changes nothing.",
      inputSchema: { id: arxivId },
      outputSchema: savedOutput.shape,
      annotations: { readOnlyHint: false, idempotentHint: true, destructiveHint: false, openWorldHint: false },
    },
    async ({ id }) => {
      const paper = parseId(id);
      if (!(await deps.store.papers.exists(paper))) throw invalid(`no paper ${paper} in this papersift`);
      await recordFeedback(deps, deps.arxiv, reader.id, paper, 'save');
      return answer({ id: paper, saved: true, inLibrary: true });
    },
  );
}
