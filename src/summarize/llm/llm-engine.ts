/**
 * The LLM summary engine: one structured call per paper version, judged (JSON, schema, card rules,
 * faithfulness), one corrective retry that lists the reasons, and the offline engine as an honest
 * fallback. An answer cut off by the output budget (finish reason "length") is asked again once with
 * twice the budget. Transport failures (429, 5xx, timeouts, network) are retried with backoff,
 * Retry-After respected; every request goes through one queue (concurrency + requests per minute) and
 * into the ledger. A fallback after a cut-off answer or an unavailable provider stays due (the ledger's
 * latest outcome for the version is not an answer failure), so the next pass tries again.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import { backoffDelayMs } from '../../http/retry-policy.ts';
import type { RateGate } from '../../domain/rate-gate.ts';
import type { Logger } from '../../log.ts';
import { silentLogger } from '../../log.ts';
import type { Store } from '../../store/store.ts';
import type { LlmCallOutcome } from '../../store/schema.ts';
import {
  InsufficientSourceTextError,
  type EngineDescriptor,
  type EngineResult,
  type PaperSummary,
  type PaperVersionRef,
  type SummaryEngine,
  type SummaryInput,
} from '../engine.ts';
import { judgeAnswer } from './answer.ts';
import { estimateCost, latestCallOutcomes, recordLlmCall } from './ledger.ts';
import { CARD_SCHEMA_NAME, cardAnswerSchema } from './card-schema.ts';
import { paperMessage, promptVersionFor, retryMessages, systemPrompt } from './prompt.ts';
import { classifyProviderError, LlmTransportError, type LlmClient, type LlmMessage, type LlmResponse } from './provider.ts';

/** Answers per paper version: the first, and one corrective retry. */
const MAX_ANSWERS = 2;
/** A provider asking us to wait longer than this (a spent quota) pauses LLM use for that long instead (batch mode waits longer). */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;
/** Output budget unless configured (LLM_MAX_OUTPUT_TOKENS): a reasoning model thinks within it. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 6000;
/** How long a refusal (401, 403, 404: bad key, unknown model) pauses LLM use; `serve` recovers on a later pass. */
const REFUSAL_PAUSE_MS = 10 * 60_000;
/** How long the SDK may take to build a request before LLM_TIMEOUT_MS starts (only if the client never says it sent). */
const PREPARATION_ALLOWANCE_MS = 10_000;
/** Outcomes that mean the model answered and the answer was unusable (as opposed to no answer). */
const ANSWER_FAILURES: ReadonlySet<LlmCallOutcome> = new Set(['invalid_json', 'schema_violation', 'unfaithful']);

export interface LlmEngineOptions {
  client: LlmClient;
  store: Store;
  /** Stands in when the LLM cannot produce a usable summary; its descriptor is stored with the fallback. */
  fallback: SummaryEngine;
  logger?: Logger;
  limits: { concurrency: number; requestsPerMinute: number; timeoutMs: number; maxRetries: number };
  prices: { inputPerMTok: number | null; outputPerMTok: number | null };
  /** First transport-retry delay (doubles per retry, with jitter) and its cap. */
  backoff?: { baseMs: number; maxMs: number };
  /** Overrides PROMPT_VERSION (tests of cache invalidation). */
  promptVersion?: string;
  /** Output token budget of one answer; a cut-off answer is asked again once with twice this. */
  maxOutputTokens?: number;
  /** Language code of the cards (default en). */
  language?: string;
  /** Longest Retry-After waited out; longer pauses the engine (default MAX_RETRY_AFTER_MS; batch mode sets its own). */
  maxRetryAfterMs?: number;
  /** The window of limits.requestsPerMinute; 60 000 ms unless a test shrinks it. */
  rateWindowMs?: number;
  /** The LLM's budget and concurrency shared with every other process on the store (each request, retries included). */
  gate?: RateGate;
}

export interface LlmEngine extends SummaryEngine {
  summarizeWithOutcome(input: SummaryInput): Promise<EngineResult>;
  settledFallbacks(papers: readonly PaperVersionRef[]): Promise<Set<string>>;
}

export function createLlmEngine(options: LlmEngineOptions): LlmEngine {
  const { client, store, fallback, limits, prices } = options;
  const logger = options.logger ?? silentLogger;
  const backoff = options.backoff ?? { baseMs: 1000, maxMs: 60_000 };
  const language = options.language ?? 'en';
  const system = systemPrompt(language);
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;
  const descriptor: EngineDescriptor = { engine: client.provider, model: client.model, promptVersion: options.promptVersion ?? promptVersionFor(language) };
  // strict: a sliding window, so no 60 s span ever holds more than requestsPerMinute request starts.
  const queue = new PQueue({ concurrency: limits.concurrency, intervalCap: limits.requestsPerMinute, interval: options.rateWindowMs ?? 60_000, strict: true });
  /** Set when the provider refuses us outright (bad key, unknown model, spent quota): until then, papers fall back without a call. */
  let pause: { until: number; reason: string } | null = null;
  const unavailableReason = (): string | null => {
    if (pause !== null && Date.now() >= pause.until) {
      pause = null;
    }
    return pause?.reason ?? null;
  };
  const pauseFor = (ms: number, reason: string) => {
    pause = { until: Date.now() + ms, reason };
    logger.error('LLM provider refused requests; summaries fall back to the offline engine meanwhile', { reason, pausedForMs: ms });
  };

  /** One HTTP request through the queue, with the timeout; the caller records it. */
  async function requestOnce(messages: LlmMessage[], budget: number): Promise<{ response?: LlmResponse; error?: LlmTransportError; latencyMs: number } | null> {
    return queue.add(async () => {
      // Requests queued before the provider refused us are not sent (null: no call was made).
      if (unavailableReason() !== null) return null;
      const slot = await options.gate?.acquire();
      const controller = new AbortController();
      let timedOut = false;
      const expire = () => {
        timedOut = true;
        controller.abort(new Error(`timed out after ${limits.timeoutMs} ms`));
      };
      // LLM_TIMEOUT_MS runs from the moment the request is sent (onSend), not from the start of the SDK's
      // local preparation, which on a busy machine can take most of a short timeout and abort the request
      // before it leaves. A client that never calls onSend is still bounded: the timeout plus a preparation allowance.
      let timer = setTimeout(expire, limits.timeoutMs + PREPARATION_ALLOWANCE_MS);
      const onSend = () => {
        clearTimeout(timer);
        timer = setTimeout(expire, limits.timeoutMs);
      };
      const started = performance.now();
      try {
        const response = await client.complete({ system, messages, maxOutputTokens: budget, abortSignal: controller.signal, schema: cardAnswerSchema, schemaName: CARD_SCHEMA_NAME, onSend });
        return { response, latencyMs: performance.now() - started };
      } catch (error) {
        const failure = classifyProviderError(error, timedOut);
        // Decided here, inside the queue, so requests queued behind this one see it before they are sent.
        const { status, retryAfterMs } = failure.details;
        if (status === 401 || status === 403 || status === 404) pauseFor(REFUSAL_PAUSE_MS, failure.message);
        if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) pauseFor(retryAfterMs, `asked to wait ${Math.round(retryAfterMs / 1000)} s: ${failure.message}`);
        // A Retry-After (or a 429) slows every process that shares the provider, not only this one.
        if (retryAfterMs !== undefined) await options.gate?.holdFor(retryAfterMs);
        else if (status === 429) await options.gate?.holdFor(backoff.baseMs);
        return { error: failure, latencyMs: performance.now() - started };
      } finally {
        clearTimeout(timer);
        await slot?.release();
      }
    });
  }

  /** One answer: the request, retried on transport failures; every request lands in the ledger. */
  async function answer(paper: PaperVersionRef, messages: LlmMessage[], budget: number, nextAttempt: () => number): Promise<{ response: LlmResponse; latencyMs: number; attempt: number }> {
    for (let retry = 0; ; retry++) {
      const sent = unavailableReason() === null ? await requestOnce(messages, budget) : null;
      if (sent === null) throw new LlmTransportError('http_error', `LLM unavailable (no request sent): ${unavailableReason() ?? 'paused'}`, { retryable: false });
      const attempt = nextAttempt();
      const { response, error, latencyMs } = sent;
      if (response) return { response, latencyMs, attempt };
      const failure = error!;
      await recordLlmCall(store, { paperId: paper.id, version: paper.version, descriptor, attempt, tokensIn: null, tokensOut: null, costUsd: null, latencyMs, outcome: failure.kind, error: failure.message });
      const { retryable, retryAfterMs } = failure.details;
      if (!retryable || retry >= limits.maxRetries || unavailableReason() !== null) throw failure;
      const delay = retryAfterMs ?? backoffDelayMs(retry, backoff.baseMs, backoff.maxMs, Math.random);
      logger.debug('LLM request failed; retrying', { paper: paper.id, attempt, error: failure.message, delayMs: Math.round(delay) });
      await sleep(delay);
    }
  }

  async function summarizeWithOutcome(input: SummaryInput): Promise<EngineResult> {
    // The fallback first: it is cheap, and an abstract too thin for it (InsufficientSourceTextError) is too thin for an LLM.
    // Any other failure of the fallback does not stop the LLM; it only matters if the LLM fails too.
    let fallbackSummary: PaperSummary | null = null;
    let fallbackError: unknown = null;
    try {
      fallbackSummary = await fallback.summarize(input);
    } catch (error) {
      if (error instanceof InsufficientSourceTextError) throw error;
      fallbackError = error;
    }
    const fellBack = (note: string): EngineResult => {
      if (fallbackSummary === null) {
        const reason = fallbackError instanceof Error ? fallbackError.message : String(fallbackError);
        throw new Error(`LLM summary unusable (${note}) and the fallback engine failed: ${reason}`);
      }
      // While paused, one error line was logged already; a line per paper would drown the log.
      if (pause === null) logger.warn('LLM summary unusable; stored the offline summary as a fallback', { paper: `${input.id}v${input.version}`, reason: note });
      return { summary: fallbackSummary, outcome: 'fallback', descriptor: fallback.descriptor, note: `fallback to ${fallback.descriptor.model}: ${note}` };
    };
    const paper = { id: input.id, version: input.version };
    const messages: LlmMessage[] = [paperMessage(input)];
    let attempts = 0;
    let lastProblem = '';
    let budget = maxOutputTokens;
    let widened = false;
    for (let turn = 1; turn <= MAX_ANSWERS; turn++) {
      let result: Awaited<ReturnType<typeof answer>>;
      try {
        result = await answer(paper, messages, budget, () => ++attempts);
      } catch (error) {
        if (error instanceof LlmTransportError) return fellBack(`${error.kind}: ${error.message}`);
        throw error;
      }
      const { response, latencyMs, attempt } = result;
      const cost = estimateCost(response.tokensIn, response.tokensOut, prices);
      const call = { paperId: paper.id, version: paper.version, descriptor, attempt, tokensIn: response.tokensIn, tokensOut: response.tokensOut, costUsd: cost, latencyMs };
      if (response.finishReason === 'length') {
        // Cut off by the budget (a reasoning model may think it away): not a verdict on the paper.
        const problem = `the answer was cut off at the output budget of ${budget} tokens`;
        await recordLlmCall(store, { ...call, outcome: 'truncated', error: problem });
        lastProblem = `truncated: ${problem}`;
        if (widened) break;
        widened = true;
        budget *= 2;
        turn--; // the same question again, with room to finish; not the corrective turn
        continue;
      }
      const verdict = judgeAnswer(response.text, input, { language });
      const problems = verdict.outcome === 'success' ? [] : verdict.problems;
      await recordLlmCall(store, { ...call, outcome: verdict.outcome, error: problems.length === 0 ? null : problems.join('; ') });
      if (verdict.outcome === 'success') {
        if (verdict.rubric === null) logger.debug('LLM rubric unusable; the AI Score uses the offline signals', { paper: paper.id, problems: verdict.rubricProblems });
        return { summary: verdict.summary, outcome: 'success', descriptor, ...(verdict.rubric ? { rubric: verdict.rubric } : {}) };
      }
      lastProblem = `${verdict.outcome}: ${problems.join('; ')}`;
      logger.debug('LLM answer rejected', { paper: paper.id, turn, reason: lastProblem });
      messages.push(...retryMessages(response.text, problems));
    }
    return fellBack(lastProblem);
  }

  return {
    descriptor,
    summarizeWithOutcome,
    summarize: async (input) => (await summarizeWithOutcome(input)).summary,
    async settledFallbacks(papers) {
      const latest = await latestCallOutcomes(store, descriptor, papers);
      return new Set([...latest].filter(([, outcome]) => ANSWER_FAILURES.has(outcome)).map(([key]) => key));
    },
  };
}
