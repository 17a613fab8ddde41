import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cron } from 'croner';
import { z } from 'zod';

/** Repository root, so defaults do not depend on the working directory of the caller. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DEFAULT_SNAPSHOT_PATH = path.join(PROJECT_ROOT, 'assets/snapshot/arxiv-ml-listings-2026-06.jsonl.gz');

/**
 * Every option papersift reads from the environment, declared once: name, default, meaning.
 * `.env.example` is generated from this table (see test/config.test.ts, which keeps them in step).
 */
export const OPTIONS = {
  PORT: { default: '3000', secret: false, doc: 'TCP port of the web server.' },
  HOST: { default: '127.0.0.1', secret: false, doc: 'Address the web server binds to (0.0.0.0 to expose it).' },
  PAPERSIFT_AUTH: {
    default: '',
    secret: false,
    doc: 'Who the readers are. owner: one reader, the owner, no sign-in (the default while HOST is a loopback address); email: readers sign in with a one-time link sent by email, or use an API token (`papersift readers add`). A non-loopback HOST needs one of them set explicitly.',
  },
  DATABASE_URL: {
    default: './data/papersift.db',
    secret: true,
    doc: 'SQLite file path or file: URL (relative paths are relative to the working directory), or a postgres:// URL for PostgreSQL.',
  },
  PAPERSIFT_CATEGORIES: {
    default: 'cs.LG,cs.CL,cs.CV,cs.AI,stat.ML',
    secret: false,
    doc: 'Comma-separated arXiv categories to follow (primary or cross-listed).',
  },
  PAPERSIFT_SCHEDULE: {
    default: '8h',
    secret: false,
    doc: 'How often `serve` runs a full pass: a duration such as 8h / 90m, or a 5-field cron expression (UTC).',
  },
  PAPERSIFT_HISTORY_DAYS: { default: '7', secret: false, doc: 'How many announcement days the digest keeps browsable.' },
  PAPERSIFT_DIGEST_SIZE: { default: '50', secret: false, doc: 'Papers selected for the digest of each announcement day.' },
  PAPERSIFT_MAX_TAG_SHARE: {
    default: '0.4',
    secret: false,
    doc: 'Diversity cap: no topic tag may be carried by more than this share of a digest (0-1; a digest stays shorter rather than break it).',
  },
  PAPERSIFT_SNAPSHOT: {
    default: DEFAULT_SNAPSHOT_PATH,
    secret: false,
    doc: 'Bundled snapshot (JSON lines, optionally gzipped) loaded into an empty database on first start; "off" disables it.',
  },
  PAPERSIFT_LIVE_INGEST: {
    default: 'on',
    secret: false,
    doc: 'on: every pass reads the arXiv announcement feeds; off: work only from the snapshot and manual ingests.',
  },
  ARXIV_API_URL: { default: 'https://export.arxiv.org/api/query', secret: false, doc: 'arXiv API query endpoint.' },
  ARXIV_OAI_URL: { default: 'https://oaipmh.arxiv.org/oai', secret: false, doc: 'arXiv OAI-PMH endpoint.' },
  ARXIV_RSS_URL: { default: 'https://rss.arxiv.org/atom', secret: false, doc: 'arXiv announcement feeds (Atom) base URL.' },
  ARXIV_MIN_INTERVAL_MS: {
    default: '3000',
    secret: false,
    doc: 'Minimum gap between two requests to arXiv (all endpoints share it). arXiv asks for 3 s; lower it only for a local test server.',
  },
  ARXIV_TIMEOUT_MS: { default: '60000', secret: false, doc: 'Timeout of one arXiv request, body included.' },
  ARXIV_MAX_RETRIES: { default: '5', secret: false, doc: 'Retries of an arXiv request on 429, 5xx, timeouts and network errors.' },
  ARXIV_BACKOFF_MS: { default: '5000', secret: false, doc: 'First retry delay; it doubles per retry (with jitter), unless arXiv sends Retry-After.' },
  ARXIV_API_PAGE_SIZE: { default: '500', secret: false, doc: 'Papers per arXiv API page in date-range backfills (at most 2000).' },
  PAPERSIFT_ARXIV_HOLIDAYS: {
    default: '',
    secret: false,
    doc: 'Extra evenings (YYYY-MM-DD, US Eastern, comma-separated) on which arXiv announced nothing, beyond the built-in list.',
  },
  PAPERSIFT_ENRICH: {
    default: 'auto',
    secret: false,
    doc: 'Author enrichment from Semantic Scholar and OpenAlex in scheduled passes: auto (only while the services answer; the first start stays offline), off.',
  },
  PAPERSIFT_ENRICH_REFRESH_DAYS: {
    default: '30',
    secret: false,
    doc: 'Age in days after which a stored Semantic Scholar / OpenAlex answer is fetched again; until then it is reused.',
  },
  SEMANTIC_SCHOLAR_API_URL: { default: 'https://api.semanticscholar.org/graph/v1', secret: false, doc: 'Semantic Scholar Graph API base URL.' },
  SEMANTIC_SCHOLAR_API_KEY: { default: '', secret: true, doc: 'Semantic Scholar API key (sent as x-api-key); optional, but keyless clients share a small pool.' },
  SEMANTIC_SCHOLAR_MIN_INTERVAL_MS: {
    default: '1000',
    secret: false,
    doc: 'Minimum gap between two Semantic Scholar requests (S2 allows 1 request/s with a key).',
  },
  OPENALEX_API_URL: { default: 'https://api.openalex.org', secret: false, doc: 'OpenAlex API base URL.' },
  OPENALEX_API_KEY: { default: '', secret: true, doc: 'OpenAlex API key (sent as api_key); optional.' },
  OPENALEX_MAILTO: { default: '', secret: true, doc: "Contact e-mail sent as mailto= to join OpenAlex's polite pool; optional." },
  OPENALEX_MIN_INTERVAL_MS: { default: '200', secret: false, doc: 'Minimum gap between two OpenAlex requests (OpenAlex allows 10 requests/s).' },
  ENRICH_TIMEOUT_MS: { default: '30000', secret: false, doc: 'Timeout of one Semantic Scholar or OpenAlex request, body included.' },
  ENRICH_MAX_RETRIES: { default: '4', secret: false, doc: 'Retries of a Semantic Scholar or OpenAlex request on 429, 5xx, timeouts and network errors.' },
  ENRICH_BACKOFF_MS: { default: '2000', secret: false, doc: 'First retry delay for Semantic Scholar and OpenAlex; it doubles per retry (with jitter), unless Retry-After says otherwise.' },
  SMTP_URL: {
    default: '',
    secret: true,
    doc: 'Where mail goes out (sign-in links): smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465; empty: no mail, so no sign-in by email (API tokens still work).',
  },
  MAIL_FROM: { default: 'papersift <papersift@localhost>', secret: false, doc: 'The From of the mail papersift sends.' },
  PAPERSIFT_PUBLIC_URL: {
    default: '',
    secret: false,
    doc: 'The address readers reach papersift at (https://papers.example.org), for links in mail; empty: the address of the request that asked for the mail.',
  },
  ADMIN_TOKEN: { default: '', secret: true, doc: 'Bearer token of the admin actions (POST /admin/ingest, POST /admin/papers/:id/resummarize), at least 16 characters; empty disables them.' },
  PAPERSIFT_RATE_LIMIT_PER_MINUTE: {
    default: '300',
    secret: false,
    doc: 'Requests per minute one client (IP address) may make to /search, /feeds/search.* and /api/v1/* once its burst is spent; over it: 429 with Retry-After. 0 turns the limit off.',
  },
  PAPERSIFT_RATE_LIMIT_BURST: { default: '100', secret: false, doc: 'Requests one client may make at once to those routes before the per-minute rate applies.' },
  PAPERSIFT_SEARCH_CONCURRENCY: {
    default: 'auto',
    secret: false,
    doc: 'Searches (/search, /feeds/search.*, /api/v1/search) run at once; the others wait their turn, first come first served, and one that would wait too long (PAPERSIFT_SEARCH_WAIT_MS) is refused. auto: 2 on SQLite (one connection), off on PostgreSQL (its connection pool bounds the searches). 0 turns the limit off.',
  },
  PAPERSIFT_SEARCH_QUEUE: { default: '256', secret: false, doc: 'Searches that may wait for a turn at most (the wait bound usually refuses first); past it a search is answered 503 with Retry-After at once.' },
  PAPERSIFT_SEARCH_WAIT_MS: {
    default: '2000',
    secret: false,
    doc: 'Longest wait of a search for its turn; a search whose wait, predicted from the queue and recent searches, would be longer is answered 503 with Retry-After at once.',
  },
  PAPERSIFT_PAGE_CACHE_MB: {
    default: '32',
    secret: false,
    doc: 'Memory for rendered pages, feeds and API answers kept until the store changes (SQLite only; every coding counted). 0 renders every request.',
  },
  PAPERSIFT_TRUST_PROXY: {
    default: 'off',
    secret: false,
    doc: 'on: the rate limit reads the client address from the last X-Forwarded-For entry (only behind a reverse proxy that sets it); off: the connection address.',
  },
  PAPERSIFT_MCP_ORIGINS: {
    default: '',
    secret: false,
    doc: 'Browser origins (comma-separated, e.g. https://chat.example.org) allowed to call the MCP endpoint /mcp, besides loopback ones; a request with any other Origin header is refused (DNS rebinding). Clients that send no Origin (desktop apps, SDKs) are not affected.',
  },
  LOG_LEVEL: { default: 'info', secret: false, doc: 'One of debug, info, warn, error.' },
  LOG_FORMAT: { default: 'text', secret: false, doc: 'text (one readable line per event) or json (one JSON object per line, for log collectors).' },
  PAPERSIFT_WORKERS: {
    default: 'inline',
    secret: false,
    doc: 'inline: `serve` runs each pass itself (one process, the laptop default); queue: `serve` only enqueues jobs and `papersift worker` processes run them.',
  },
  PAPERSIFT_JOB_ATTEMPTS: { default: '5', secret: false, doc: 'Attempts per job, the first included, before it becomes a dead letter (`papersift jobs`).' },
  PAPERSIFT_JOB_BACKOFF_SECONDS: { default: '5', secret: false, doc: 'Delay before a failed job is retried; it doubles with each further attempt.' },
  PAPERSIFT_JOB_LEASE_SECONDS: {
    default: '900',
    secret: false,
    doc: 'A running job (and its summary claim) older than this is taken to have died with its worker and is retried.',
  },
  PAPERSIFT_JOB_SCORE_WAIT_SECONDS: {
    default: '15',
    secret: false,
    doc: "A pass's score job waits for its summarise jobs: it looks again this often, for at most two hours, then scores what is there.",
  },
  PAPERSIFT_LLM: {
    default: '',
    secret: false,
    doc: 'LLM summariser as provider:model, e.g. openai:gpt-5-mini, anthropic:claude-haiku-4-5, ollama:qwen3:8b, openai-compatible:<model>; empty uses the offline engine.',
  },
  LLM_BASE_URL: {
    default: '',
    secret: false,
    doc: 'API base URL ending in /v1: required for openai-compatible; optional for openai/anthropic (a proxy); ollama defaults to http://127.0.0.1:11434 (its native API; a URL ending in /v1 or /api works too).',
  },
  LLM_API_KEY: { default: '', secret: true, doc: 'API key of the LLM provider (required for openai and anthropic).' },
  LLM_CONCURRENCY: { default: '2', secret: false, doc: 'LLM requests in flight at once, across every process on the store.' },
  LLM_REQUESTS_PER_MINUTE: { default: '60', secret: false, doc: 'At most this many LLM requests start in any minute (retries included), across every process on the store.' },
  LLM_TIMEOUT_MS: { default: '60000', secret: false, doc: 'Timeout of one LLM request, body included.' },
  LLM_MAX_RETRIES: {
    default: '3',
    secret: false,
    doc: 'Retries of an LLM request on 429, 5xx, timeouts and network errors (with backoff; Retry-After is respected).',
  },
  LLM_PRICE_INPUT_PER_MTOK: {
    default: '0',
    secret: false,
    doc: 'USD per million input tokens, for the cost estimate in `papersift stats`; 0 means unknown.',
  },
  LLM_PRICE_OUTPUT_PER_MTOK: {
    default: '0',
    secret: false,
    doc: 'USD per million output tokens, for the cost estimate in `papersift stats`; 0 means unknown.',
  },
  LLM_MAX_OUTPUT_TOKENS: {
    default: '6000',
    secret: false,
    doc: "Output token budget of one LLM answer (reasoning models spend part of it thinking); an answer cut off by it is retried once with twice the budget.",
  },
  LLM_REASONING_EFFORT: {
    default: '',
    secret: false,
    doc: "Reasoning effort of reasoning models: minimal, low, medium or high (openai, openai-compatible; ollama thinks when set); empty leaves the provider's default.",
  },
  LLM_STRUCTURED_OUTPUT: {
    default: 'auto',
    secret: false,
    doc: "JSON schema sent with each request: auto (sent; a compatible server that refuses it is asked again without, for the rest of the run), on, or off (prompt only).",
  },
  LLM_OPENAI_API: { default: 'responses', secret: false, doc: 'OpenAI wire format for provider openai: responses (the Responses API) or chat (Chat Completions).' },
  LLM_BATCH_MAX_RETRY_AFTER_SECONDS: {
    default: '3600',
    secret: false,
    doc: "`summarize --jsonl` waits out a provider's Retry-After up to this long; longer waits (and any over 5 minutes in passes) pause the LLM instead.",
  },
  PAPERSIFT_SUMMARY_LANGUAGE: {
    default: 'en',
    secret: false,
    doc: 'Language of LLM cards, as a language code (en, de, zh, es, ...); numbers and names stay as in the abstract. The offline engine writes English only.',
  },
} as const satisfies Record<string, { default: string; secret: boolean; doc: string }>;

export type OptionName = keyof typeof OPTIONS;

const durationPattern = /^(\d+)\s*(m|h)$/i;

/** A schedule is either a fixed interval or a cron expression; both give an update frequency. */
export type Schedule = { kind: 'interval'; everyMs: number; text: string } | { kind: 'cron'; expression: string; text: string };

function parseSchedule(text: string, ctx: z.RefinementCtx): Schedule {
  const trimmed = text.trim();
  const duration = durationPattern.exec(trimmed);
  if (duration) {
    const amount = Number(duration[1]);
    const unitMs = duration[2]!.toLowerCase() === 'h' ? 3_600_000 : 60_000;
    if (amount <= 0) ctx.addIssue({ code: 'custom', message: 'schedule interval must be positive' });
    return { kind: 'interval', everyMs: amount * unitMs, text: trimmed };
  }
  if (trimmed.split(/\s+/).length === 5) {
    try {
      new Cron(trimmed, { timezone: 'UTC', paused: true }).stop();
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `invalid cron expression: ${(error as Error).message}` });
    }
    return { kind: 'cron', expression: trimmed, text: trimmed };
  }
  ctx.addIssue({ code: 'custom', message: `expected a duration like "8h" or a 5-field cron expression, got "${text}"` });
  return z.NEVER;
}

export type DatabaseTarget = { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };

function parseDatabaseUrl(url: string, ctx: z.RefinementCtx): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a valid postgres:// URL' });
      return z.NEVER;
    }
    return { dialect: 'postgres', url };
  }
  if (url === ':memory:') return { dialect: 'sqlite', file: url };
  const file = url.startsWith('file:') ? fileURLToPath(new URL(url, `file://${process.cwd()}/`)) : path.resolve(url);
  return { dialect: 'sqlite', file };
}

const categoryPattern = /^[a-z-]+(\.[A-Za-z-]+)?$/;
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().min(1),
  PAPERSIFT_AUTH: z.enum(['', 'owner', 'email']),
  DATABASE_URL: z.string().min(1).transform(parseDatabaseUrl),
  PAPERSIFT_CATEGORIES: z
    .string()
    .transform((value) => value.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(categoryPattern, 'not an arXiv category like cs.LG')).min(1)),
  PAPERSIFT_SCHEDULE: z.string().transform(parseSchedule),
  PAPERSIFT_HISTORY_DAYS: positiveInt(365),
  PAPERSIFT_DIGEST_SIZE: positiveInt(1000),
  PAPERSIFT_MAX_TAG_SHARE: z.coerce.number().gt(0).max(1),
  PAPERSIFT_SNAPSHOT: z.string().transform((value) => (value === 'off' ? null : path.resolve(value))),
  PAPERSIFT_LIVE_INGEST: z.enum(['on', 'off']),
  ARXIV_API_URL: z.url(),
  ARXIV_OAI_URL: z.url(),
  ARXIV_RSS_URL: z.url(),
  ARXIV_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000),
  ARXIV_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000),
  ARXIV_MAX_RETRIES: z.coerce.number().int().min(0).max(20),
  ARXIV_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000),
  ARXIV_API_PAGE_SIZE: z.coerce.number().int().min(1).max(2000),
  PAPERSIFT_ARXIV_HOLIDAYS: z
    .string()
    .transform((value) => value.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(z.iso.date())),
  PAPERSIFT_ENRICH: z.enum(['auto', 'off']),
  PAPERSIFT_ENRICH_REFRESH_DAYS: positiveInt(3650),
  SEMANTIC_SCHOLAR_API_URL: z.url({ protocol: /^https?$/ }),
  SEMANTIC_SCHOLAR_API_KEY: z.string(),
  SEMANTIC_SCHOLAR_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000),
  OPENALEX_API_URL: z.url({ protocol: /^https?$/ }),
  OPENALEX_API_KEY: z.string(),
  OPENALEX_MAILTO: z.union([z.literal(''), z.email()]),
  OPENALEX_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000),
  ENRICH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000),
  ENRICH_MAX_RETRIES: z.coerce.number().int().min(0).max(20),
  ENRICH_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000),
  SMTP_URL: z.union([z.literal(''), z.url({ protocol: /^smtps?$/, message: 'expected smtp://… or smtps://…' })]),
  MAIL_FROM: z.string().min(3).max(200),
  PAPERSIFT_PUBLIC_URL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  // A short token could be guessed: the admin actions trigger passes and LLM calls that cost money.
  ADMIN_TOKEN: z.string().refine((v) => v === '' || v.length >= 16, { message: 'at least 16 characters (or empty to disable admin actions)' }),
  PAPERSIFT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(10_000_000),
  PAPERSIFT_RATE_LIMIT_BURST: positiveInt(10_000_000),
  PAPERSIFT_SEARCH_CONCURRENCY: z.union([z.literal('auto'), z.coerce.number().int().min(0).max(1000)]),
  PAPERSIFT_SEARCH_QUEUE: z.coerce.number().int().min(0).max(100_000),
  PAPERSIFT_SEARCH_WAIT_MS: z.coerce.number().int().min(1).max(600_000),
  PAPERSIFT_PAGE_CACHE_MB: z.coerce.number().int().min(0).max(65_536),
  PAPERSIFT_TRUST_PROXY: z.enum(['on', 'off']),
  PAPERSIFT_MCP_ORIGINS: z.string().transform((value, ctx) => {
    const origins = value.split(',').map((part) => part.trim()).filter(Boolean);
    for (const origin of origins) {
      let parsed: URL | null = null;
      try {
        parsed = new URL(origin);
      } catch {
        // reported below
      }
      if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin such as https://chat.example.org (scheme, host and port only)` });
    }
    return origins;
  }),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']),
  LOG_FORMAT: z.enum(['text', 'json']),
  PAPERSIFT_WORKERS: z.enum(['inline', 'queue']),
  PAPERSIFT_JOB_ATTEMPTS: positiveInt(100),
  PAPERSIFT_JOB_BACKOFF_SECONDS: z.coerce.number().int().min(1).max(86_400),
  PAPERSIFT_JOB_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400),
  PAPERSIFT_JOB_SCORE_WAIT_SECONDS: z.coerce.number().int().min(1).max(3_600),
  PAPERSIFT_LLM: z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    const match = /^(openai|anthropic|ollama|openai-compatible):(\S+)$/.exec(trimmed);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `expected provider:model with provider openai, anthropic, ollama or openai-compatible, got "${value}"` });
      return z.NEVER;
    }
    return { provider: match[1] as 'openai' | 'anthropic' | 'ollama' | 'openai-compatible', model: match[2]! };
  }),
  LLM_BASE_URL: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  LLM_API_KEY: z.string(),
  LLM_CONCURRENCY: positiveInt(64),
  LLM_REQUESTS_PER_MINUTE: positiveInt(100_000),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(20),
  LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).max(10_000),
  LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).max(10_000),
  LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(256).max(200_000),
  LLM_REASONING_EFFORT: z.union([z.literal(''), z.enum(['minimal', 'low', 'medium', 'high'])]),
  LLM_STRUCTURED_OUTPUT: z.enum(['auto', 'on', 'off']),
  LLM_OPENAI_API: z.enum(['responses', 'chat']),
  LLM_BATCH_MAX_RETRY_AFTER_SECONDS: z.coerce.number().int().min(0).max(86_400),
  PAPERSIFT_SUMMARY_LANGUAGE: z
    .string()
    .trim()
    .toLowerCase()
    .refine((code) => /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(code) && Intl.getCanonicalLocales(code).length === 1, { message: 'a language code such as en, de, zh or pt-br' }),
}).superRefine((o, ctx) => {
  // Sign-in links must point at papersift itself, never at whatever Host a request claimed.
  if (o.SMTP_URL !== '' && o.PAPERSIFT_PUBLIC_URL === '') {
    ctx.addIssue({ code: 'custom', path: ['PAPERSIFT_PUBLIC_URL'], message: 'mail links need the address readers reach papersift at (set it with SMTP_URL)' });
  }
  // Owner mode trusts whoever reaches the server: on an exposed address that must be a decision.
  if (o.PAPERSIFT_AUTH === '' && !isLoopbackHost(o.HOST)) {
    ctx.addIssue({
      code: 'custom',
      path: ['PAPERSIFT_AUTH'],
      message: `HOST=${o.HOST} is reachable from other machines: set PAPERSIFT_AUTH=email (readers sign in) or PAPERSIFT_AUTH=owner (whoever reaches the server is the owner)`,
    });
  }
  // Cross-field rules of the LLM settings: each provider needs what it cannot work without.
  const provider = o.PAPERSIFT_LLM?.provider;
  if (provider === 'openai-compatible' && o.LLM_BASE_URL === '') {
    ctx.addIssue({ code: 'custom', path: ['LLM_BASE_URL'], message: 'openai-compatible needs LLM_BASE_URL (the server base URL ending in /v1)' });
  }
  if ((provider === 'openai' || provider === 'anthropic') && o.LLM_API_KEY === '') {
    ctx.addIssue({ code: 'custom', path: ['LLM_API_KEY'], message: `${provider} needs LLM_API_KEY` });
  }
  if (provider === undefined && o.PAPERSIFT_SUMMARY_LANGUAGE.split('-')[0] !== 'en') {
    ctx.addIssue({ code: 'custom', path: ['PAPERSIFT_SUMMARY_LANGUAGE'], message: 'the offline engine writes English only; set PAPERSIFT_LLM for cards in another language' });
  }
});

type ParsedOptions = z.infer<typeof configSchema>;

export interface Config {
  port: number;
  host: string;
  /** owner: one reader, no sign-in; email: readers sign in (links by email) or use API tokens. */
  auth: 'owner' | 'email';
  database: DatabaseTarget;
  categories: string[];
  schedule: Schedule;
  historyDays: number;
  digestSize: number;
  /** No tag may be carried by more than this share of a digest. */
  maxTagShare: number;
  snapshotPath: string | null;
  liveIngest: boolean;
  arxiv: {
    apiUrl: string;
    oaiUrl: string;
    rssUrl: string;
    apiPageSize: number;
    holidays: string[];
    http: { minIntervalMs: number; timeoutMs: number; maxRetries: number; baseBackoffMs: number };
  };
  /** Author enrichment (Semantic Scholar + OpenAlex). */
  enrich: {
    enabled: boolean;
    refreshAgeMs: number;
    semanticScholar: { apiUrl: string; apiKey: string | null; minIntervalMs: number };
    openAlex: { apiUrl: string; apiKey: string | null; mailto: string | null; minIntervalMs: number };
    http: { timeoutMs: number; maxRetries: number; baseBackoffMs: number };
  };
  adminToken: string | null;
  /** Outgoing mail; null: none configured (no sign-in by email). */
  mail: { smtpUrl: string; from: string } | null;
  /** The readers' address of papersift for links in mail, without a trailing slash; null: the request's origin. */
  publicUrl: string | null;
  /** Token bucket per client on /search, /feeds/search.* and /api/v1/* (perMinute 0: off). */
  rateLimit: { perMinute: number; burst: number; trustProxy: boolean };
  /** Browser origins allowed on /mcp besides loopback ones. */
  mcpOrigins: string[];
  /** Searches run at once (0: no limit), how many may wait, and for how long. */
  searchLimit: { maxActive: number; maxQueued: number; maxWaitMs: number };
  /** Bound on the page cache's bodies, in bytes (0: off). */
  pageCacheBytes: number;
  logLevel: ParsedOptions['LOG_LEVEL'];
  logFormat: ParsedOptions['LOG_FORMAT'];
  /** Job queue: who runs the pipeline stages, and how failed or abandoned jobs are retried. */
  jobs: { workers: 'inline' | 'queue'; maxAttempts: number; backoffSeconds: number; leaseSeconds: number; scoreWaitSeconds: number };
  /** The LLM summariser; null means the offline engine (PAPERSIFT_LLM empty). */
  llm: {
    provider: 'openai' | 'anthropic' | 'ollama' | 'openai-compatible';
    model: string;
    /** Null: the provider's own default (ollama: http://127.0.0.1:11434/v1). */
    baseUrl: string | null;
    apiKey: string | null;
    concurrency: number;
    requestsPerMinute: number;
    timeoutMs: number;
    maxRetries: number;
    /** USD per million tokens; null when unknown (0 in the environment). */
    priceInputPerMTok: number | null;
    priceOutputPerMTok: number | null;
    maxOutputTokens: number;
    /** Null: the provider's default. */
    reasoningEffort: 'minimal' | 'low' | 'medium' | 'high' | null;
    structuredOutput: 'auto' | 'on' | 'off';
    openaiApi: 'responses' | 'chat';
    /** Longest Retry-After a batch (`summarize --jsonl`) waits out, in ms. */
    batchMaxRetryAfterMs: number;
  } | null;
  /** Language code of the cards (LLM engines only; the offline engine writes English). */
  summaryLanguage: string;
}

/** Loopback addresses only: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Builds the one configuration object from an environment (never read at import time). */
/**
 * SQLite runs one search at a time on its one connection, and a search admitted is worked through
 * synchronously, so 2 at once is a turn in hand (measured at 1M papers, docs/benchmarks.md). On
 * PostgreSQL the connection pool already bounds how many run; turns there were not measured to help,
 * and in the reduced soak they refused searches during ingests (answered within 4 s without them).
 */
function autoSearchConcurrency(database: DatabaseTarget): number {
  return database.dialect === 'postgres' ? 0 : 2;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const [name, option] of Object.entries(OPTIONS)) {
    const value = env[name];
    raw[name] = value === undefined || value === '' ? option.default : value;
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const o = parsed.data;
  return {
    port: o.PORT,
    host: o.HOST,
    auth: o.PAPERSIFT_AUTH === '' ? 'owner' : o.PAPERSIFT_AUTH,
    database: o.DATABASE_URL,
    categories: o.PAPERSIFT_CATEGORIES,
    schedule: o.PAPERSIFT_SCHEDULE,
    historyDays: o.PAPERSIFT_HISTORY_DAYS,
    digestSize: o.PAPERSIFT_DIGEST_SIZE,
    maxTagShare: o.PAPERSIFT_MAX_TAG_SHARE,
    snapshotPath: o.PAPERSIFT_SNAPSHOT,
    liveIngest: o.PAPERSIFT_LIVE_INGEST === 'on',
    arxiv: {
      apiUrl: o.ARXIV_API_URL,
      oaiUrl: o.ARXIV_OAI_URL,
      rssUrl: o.ARXIV_RSS_URL,
      apiPageSize: o.ARXIV_API_PAGE_SIZE,
      holidays: o.PAPERSIFT_ARXIV_HOLIDAYS,
      http: {
        minIntervalMs: o.ARXIV_MIN_INTERVAL_MS,
        timeoutMs: o.ARXIV_TIMEOUT_MS,
        maxRetries: o.ARXIV_MAX_RETRIES,
        baseBackoffMs: o.ARXIV_BACKOFF_MS,
      },
    },
    enrich: {
      enabled: o.PAPERSIFT_ENRICH === 'auto',
      refreshAgeMs: o.PAPERSIFT_ENRICH_REFRESH_DAYS * 86_400_000,
      semanticScholar: {
        apiUrl: o.SEMANTIC_SCHOLAR_API_URL.replace(/\/+$/, ''),
        apiKey: o.SEMANTIC_SCHOLAR_API_KEY === '' ? null : o.SEMANTIC_SCHOLAR_API_KEY,
        minIntervalMs: o.SEMANTIC_SCHOLAR_MIN_INTERVAL_MS,
      },
      openAlex: {
        apiUrl: o.OPENALEX_API_URL.replace(/\/+$/, ''),
        apiKey: o.OPENALEX_API_KEY === '' ? null : o.OPENALEX_API_KEY,
        mailto: o.OPENALEX_MAILTO === '' ? null : o.OPENALEX_MAILTO,
        minIntervalMs: o.OPENALEX_MIN_INTERVAL_MS,
      },
      http: { timeoutMs: o.ENRICH_TIMEOUT_MS, maxRetries: o.ENRICH_MAX_RETRIES, baseBackoffMs: o.ENRICH_BACKOFF_MS },
    },
    adminToken: o.ADMIN_TOKEN === '' ? null : o.ADMIN_TOKEN,
    mail: o.SMTP_URL === '' ? null : { smtpUrl: o.SMTP_URL, from: o.MAIL_FROM },
    publicUrl: o.PAPERSIFT_PUBLIC_URL === '' ? null : o.PAPERSIFT_PUBLIC_URL.replace(/\/+$/, ''),
    rateLimit: { perMinute: o.PAPERSIFT_RATE_LIMIT_PER_MINUTE, burst: o.PAPERSIFT_RATE_LIMIT_BURST, trustProxy: o.PAPERSIFT_TRUST_PROXY === 'on' },
    mcpOrigins: o.PAPERSIFT_MCP_ORIGINS,
    searchLimit: { maxActive: o.PAPERSIFT_SEARCH_CONCURRENCY === 'auto' ? autoSearchConcurrency(o.DATABASE_URL) : o.PAPERSIFT_SEARCH_CONCURRENCY, maxQueued: o.PAPERSIFT_SEARCH_QUEUE, maxWaitMs: o.PAPERSIFT_SEARCH_WAIT_MS },
    pageCacheBytes: o.PAPERSIFT_PAGE_CACHE_MB * 2 ** 20,
    logLevel: o.LOG_LEVEL,
    logFormat: o.LOG_FORMAT,
    jobs: { workers: o.PAPERSIFT_WORKERS, maxAttempts: o.PAPERSIFT_JOB_ATTEMPTS, backoffSeconds: o.PAPERSIFT_JOB_BACKOFF_SECONDS, leaseSeconds: o.PAPERSIFT_JOB_LEASE_SECONDS, scoreWaitSeconds: o.PAPERSIFT_JOB_SCORE_WAIT_SECONDS },
    llm:
      o.PAPERSIFT_LLM === null
        ? null
        : {
            provider: o.PAPERSIFT_LLM.provider,
            model: o.PAPERSIFT_LLM.model,
            baseUrl: o.LLM_BASE_URL === '' ? null : o.LLM_BASE_URL,
            apiKey: o.LLM_API_KEY === '' ? null : o.LLM_API_KEY,
            concurrency: o.LLM_CONCURRENCY,
            requestsPerMinute: o.LLM_REQUESTS_PER_MINUTE,
            timeoutMs: o.LLM_TIMEOUT_MS,
            maxRetries: o.LLM_MAX_RETRIES,
            priceInputPerMTok: o.LLM_PRICE_INPUT_PER_MTOK > 0 ? o.LLM_PRICE_INPUT_PER_MTOK : null,
            priceOutputPerMTok: o.LLM_PRICE_OUTPUT_PER_MTOK > 0 ? o.LLM_PRICE_OUTPUT_PER_MTOK : null,
            maxOutputTokens: o.LLM_MAX_OUTPUT_TOKENS,
            reasoningEffort: o.LLM_REASONING_EFFORT === '' ? null : o.LLM_REASONING_EFFORT,
            structuredOutput: o.LLM_STRUCTURED_OUTPUT,
            openaiApi: o.LLM_OPENAI_API,
            batchMaxRetryAfterMs: o.LLM_BATCH_MAX_RETRY_AFTER_SECONDS * 1000,
          },
    summaryLanguage: o.PAPERSIFT_SUMMARY_LANGUAGE,
  };
}

/** The environment as papersift sees it, secrets redacted, for `papersift config` and logs. */
export function describeEnvironment(env: NodeJS.ProcessEnv = process.env): Array<{ name: OptionName; value: string; doc: string }> {
  return (Object.keys(OPTIONS) as OptionName[]).map((name) => {
    const option = OPTIONS[name];
    const value = env[name] ?? option.default;
    return { name, value: option.secret && value !== '' ? '[redacted]' : value, doc: option.doc };
  });
}
