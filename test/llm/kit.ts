/**
 * Shared setup of the LLM tests: a real SQLite store holding real papers from the bundled snapshot,
 * a fake provider server speaking the provider's wire protocol, and the engine papersift would build
 * from the same environment variables.
 */
import type { AnnouncedPaper } from '../../src/domain/paper.ts';
import { silentLogger } from '../../src/log.ts';
import { storeAnnouncedPapers } from '../../src/store/papers.ts';
import type { SummaryEngine, SummaryInput } from '../../src/summarize/engine.ts';
import { splitSentences } from '../../src/summarize/sentences.ts';
import { createSummaryEngine } from '../../src/summarize/llm/create-engine.ts';
import { createLlmEngine } from '../../src/summarize/llm/llm-engine.ts';
import { createAiSdkClient } from '../../src/summarize/llm/provider.ts';
import { summarizePendingPapers, type SummarizeTotals } from '../../src/summarize/summarize-pending.ts';
import { createTestContext } from '../helpers/context.ts';
import { forcedTool, startFakeLlmServer, type FakeHandler, type FakeLlmRequest, type FakeLlmServer, type FakeServerOptions } from '../helpers/fake-llm-servers.ts';
import { samplePapers } from '../helpers/snapshot.ts';

export type ProviderFamily = 'openai' | 'anthropic' | 'ollama' | 'openai-compatible';

export const MODELS: Record<ProviderFamily, string> = {
  openai: 'gpt-5-mini',
  anthropic: 'claude-haiku-4-5',
  ollama: 'qwen3:8b',
  'openai-compatible': 'qwen2.5-7b-instruct',
};

/** The paper a request is about, rebuilt from the delimited prompt (what a model would read). */
export function inputOf(request: FakeLlmRequest): SummaryInput {
  const [id, version] = (request.paper ?? 'unknownv1').split(/v(?=\d+$)/);
  return { id: id!, version: Number(version), title: request.title ?? '', abstract: request.abstract ?? '', categories: [], comment: null };
}

/**
 * The abstract's sentences, split by the rule the card checker counts with (a rougher split made
 * "good" answers whose highlights the checker counts as two sentences), each on one line.
 */
function sentencesOf(text: string): string[] {
  return splitSentences(text.replace(/\s+/g, ' '))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The rubric every good answer carries: justifications name nothing the paper would have to contain. */
export const GOOD_RUBRIC = {
  clarity: { score: 4, why: 'The contribution is stated plainly in the opening sentence.' },
  evidence: { score: 3, why: 'Experiments are described but few baselines are named.' },
  significance: { score: 4, why: 'Practitioners in this area would likely use the result.' },
  reusability: { score: 2, why: 'No code or data release is mentioned.' },
};

/** A sentence cut to its first `words` words (as a model shortens one), still ending like a sentence. */
function shortened(sentence: string, words: number): string {
  const tokens = sentence.split(/\s+/);
  return tokens.length <= words ? sentence : `${tokens.slice(0, words).join(' ').replace(/[,;:.]$/, '')}.`;
}

/**
 * A paragraph of the abstract's sentences within the product's 120-200 words: a short abstract's
 * sentences are repeated (a model would paraphrase; the checker counts words, the faithfulness check
 * sees only the paper's own text).
 */
function paragraphOf(sentences: string[]): string {
  const taken: string[] = [];
  let words = 0;
  for (let i = 0; words < 130 && sentences.length > 0 && i < 100; i++) {
    const sentence = sentences[i % sentences.length]!;
    taken.push(sentence);
    words += sentence.split(/\s+/).length;
  }
  return shortened(taken.join(' '), 190);
}

/**
 * A faithful answer to a request that fits the card's rules: made of the abstract's own sentences
 * (shortened where a highlight must be short), so every number and name in it occurs in the paper.
 * `style` varies the wrapping models put around JSON.
 */
export async function goodAnswer(request: FakeLlmRequest, style: 'plain' | 'fenced' | 'prose' = 'plain'): Promise<string> {
  return wrapped(goodCard(inputOf(request).abstract), style);
}

export function goodCard(abstract: string): Record<string, unknown> {
  const sentences = sentencesOf(abstract);
  const at = (i: number, words = 20) => shortened(sentences[Math.max(0, Math.min(i, sentences.length - 1))] ?? 'The abstract is empty.', words);
  const last = sentences.length - 1;
  return {
    tldr: `In short: ${at(0, 24)}`,
    tags: ['Generative Models'],
    highlights: [at(0), at(1), at(2), at(last)],
    sections: {
      summary: paragraphOf(sentences),
      methodology: `${at(1, 40)} ${at(2, 40)}`,
      results: `${at(2, 40)} ${at(3, 40)}`,
      implications: `${at(last - 1, 40)} ${at(last, 40)}`,
    },
    rubric: GOOD_RUBRIC,
  };
}

export function wrapped(summary: unknown, style: 'plain' | 'fenced' | 'prose' = 'plain'): string {
  const json = JSON.stringify(summary, null, 2);
  if (style === 'fenced') return '```json\n' + json + '\n```';
  if (style === 'prose') return `Here is the digest entry for the paper:\n\n${json}\n\nLet me know if you need changes.`;
  return json;
}

/** The wire protocol each family speaks by default (openai: the Responses API). */
export const PROTOCOLS: Record<ProviderFamily, FakeLlmRequest['protocol']> = { openai: 'responses', anthropic: 'anthropic', ollama: 'ollama', 'openai-compatible': 'openai' };

/** The JSON schema a request carried, wherever its protocol puts it (null: prompt only). */
export function sentSchema(request: FakeLlmRequest): { schema: Record<string, unknown>; strict: boolean | null } | null {
  const body = request.body as Record<string, any>;
  switch (request.protocol) {
    case 'responses':
      return body.text?.format?.type === 'json_schema' ? { schema: body.text.format.schema, strict: body.text.format.strict ?? null } : null;
    case 'openai':
      return body.response_format?.type === 'json_schema' ? { schema: body.response_format.json_schema.schema, strict: body.response_format.json_schema.strict ?? null } : null;
    case 'anthropic': {
      const tool = forcedTool(body);
      return tool ? { schema: tool.input_schema, strict: null } : null;
    }
    case 'ollama':
      return body.format && typeof body.format === 'object' ? { schema: body.format, strict: null } : null;
  }
}

/** The output token budget a request carried, wherever its protocol puts it. */
export function sentBudget(request: FakeLlmRequest): number | undefined {
  const body = request.body as Record<string, any>;
  switch (request.protocol) {
    case 'responses':
      return body.max_output_tokens;
    case 'openai':
      return body.max_completion_tokens ?? body.max_tokens;
    case 'anthropic':
      return body.max_tokens;
    case 'ollama':
      return body.options?.num_predict;
  }
}

export const answerWell: FakeHandler = async (request) => ({ answer: await goodAnswer(request) });

export interface LlmTest {
  ctx: Awaited<ReturnType<typeof createTestContext>>;
  server: FakeLlmServer;
  papers: AnnouncedPaper[];
  engine: SummaryEngine;
  /** Builds a fresh engine from the same configuration (optionally another prompt version). */
  makeEngine(options?: { promptVersion?: string; rateWindowMs?: number; fallback?: SummaryEngine }): SummaryEngine;
  run(engine?: SummaryEngine): Promise<SummarizeTotals>;
  ledger(): Promise<Array<{ paper_id: string; version: number; provider: string; model: string; prompt_version: string; attempt: number; outcome: string; tokens_in: number | null; tokens_out: number | null; cost_usd: number | null; latency_ms: number; error: string | null }>>;
  close(): Promise<void>;
}

export async function createLlmTest(
  family: ProviderFamily,
  options: { papers?: number; env?: Record<string, string>; handler?: FakeHandler; server?: FakeServerOptions } = {},
): Promise<LlmTest> {
  const server = await startFakeLlmServer(options.handler ?? answerWell, options.server);
  const ctx = await createTestContext({
    PAPERSIFT_LLM: `${family}:${MODELS[family]}`,
    LLM_BASE_URL: server.baseUrl,
    LLM_API_KEY: 'sk-test-key',
    LLM_CONCURRENCY: '2',
    LLM_REQUESTS_PER_MINUTE: '10000',
    LLM_TIMEOUT_MS: '5000',
    LLM_MAX_RETRIES: '2',
    LLM_PRICE_INPUT_PER_MTOK: '0.15',
    LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
    ...options.env,
  });
  const papers = (await samplePapers(1)).slice(0, options.papers ?? 3);
  await storeAnnouncedPapers(ctx.store.db, papers, 'test');
  const makeEngine = ({ fallback, ...engineOptions }: { promptVersion?: string; rateWindowMs?: number; fallback?: SummaryEngine } = {}) => {
    if (fallback === undefined) return createSummaryEngine(ctx.config, { store: ctx.store, logger: silentLogger, backoff: { baseMs: 20, maxMs: 100 }, ...engineOptions });
    const llm = ctx.config.llm!;
    return createLlmEngine({
      client: createAiSdkClient(llm),
      store: ctx.store,
      fallback,
      limits: { concurrency: llm.concurrency, requestsPerMinute: llm.requestsPerMinute, timeoutMs: llm.timeoutMs, maxRetries: llm.maxRetries },
      prices: { inputPerMTok: llm.priceInputPerMTok, outputPerMTok: llm.priceOutputPerMTok },
      backoff: { baseMs: 20, maxMs: 100 },
      ...engineOptions,
    });
  };
  const engine = makeEngine();
  return {
    ctx,
    server,
    papers,
    engine,
    makeEngine,
    run: (which = engine) => summarizePendingPapers(ctx.store, which),
    ledger: () =>
      ctx.store
        .db.selectFrom('llm_calls')
        .select(['paper_id', 'version', 'provider', 'model', 'prompt_version', 'attempt', 'outcome', 'tokens_in', 'tokens_out', 'cost_usd', 'latency_ms', 'error'])
        .orderBy('id')
        .execute(),
    close: async () => {
      await server.close();
      await ctx.close();
    },
  };
}
