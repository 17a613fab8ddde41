/**
 * The one narrow door to LLM providers: "send these messages, give me the text and the token counts".
 * Everything else (prompting, validation, retries, the ledger) lives above it and is provider-neutral.
 * Providers are reached through the AI SDK; Ollama through its OpenAI-compatible endpoint (/v1).
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, NoObjectGeneratedError, Output, type LanguageModel } from 'ai';
import type { Config } from '../../config/config.ts';
import { isRetryableStatus, parseRetryAfterMs } from '../../http/retry-policy.ts';

// The AI SDK prints setting warnings (e.g. temperature on reasoning models) to the console; papersift logs its own way.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export type LlmSettings = NonNullable<Config['llm']>;
export type LlmProviderName = LlmSettings['provider'];

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434/v1';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  maxOutputTokens: number;
  abortSignal: AbortSignal;
}

export interface LlmResponse {
  text: string;
  tokensIn: number | null;
  tokensOut: number | null;
}

/** What every provider offers papersift: one completion, no retries (the engine retries and records each call). */
export interface LlmClient {
  readonly provider: LlmProviderName;
  readonly model: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
}

/** A request that got no usable HTTP answer: what the ledger records and what the retry loop decides on. */
export class LlmTransportError extends Error {
  constructor(
    readonly kind: 'http_error' | 'timeout',
    message: string,
    readonly details: { status?: number; retryable: boolean; retryAfterMs?: number },
  ) {
    super(message);
    this.name = 'LlmTransportError';
  }
}

/** Milliseconds a provider asked us to wait: OpenAI's retry-after-ms, else Retry-After (seconds or HTTP date). */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = lower['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  return parseRetryAfterMs(lower['retry-after'], now) ?? undefined;
}

/** Turns whatever the SDK threw into a transport error (answers that fail validation never get here). */
export function classifyProviderError(error: unknown, timedOut: boolean): LlmTransportError {
  if (timedOut) return new LlmTransportError('timeout', 'request timed out', { retryable: true });
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    // A 2xx whose body could not be read or parsed (the connection reset mid-body, an answer cut short)
    // failed in transport like a reset before the headers: worth a retry, not a verdict on the paper.
    const cutShort = status !== undefined && status >= 200 && status < 300;
    const retryable = status === undefined || cutShort ? true : isRetryableStatus(status);
    const body = (error.responseBody ?? '').slice(0, 300);
    const message =
      status === undefined
        ? `request failed: ${error.message}`
        : cutShort
          ? `HTTP ${status} but the answer was cut short or unreadable: ${error.message}${body ? ` (${body.length} characters received)` : ''}`
          : `HTTP ${status}: ${error.message}${body ? ` ${body}` : ''}`;
    return new LlmTransportError('http_error', message, { status, retryable, retryAfterMs: retryAfterMs(error.responseHeaders) });
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Network failures surface as TypeError("fetch failed") and are worth a retry; anything else is not.
  const retryable = error instanceof TypeError || /ECONNRESET|ECONNREFUSED|socket|network/i.test(message);
  return new LlmTransportError('http_error', message, { retryable });
}

function languageModel(settings: LlmSettings): { model: LanguageModel; jsonMode: boolean } {
  const baseURL = settings.baseUrl ?? undefined;
  const apiKey = settings.apiKey ?? undefined;
  switch (settings.provider) {
    case 'openai':
      // Chat Completions (not the Responses API): the widest-supported OpenAI wire format.
      return { model: createOpenAI({ apiKey, baseURL }).chat(settings.model), jsonMode: true };
    case 'anthropic':
      return { model: createAnthropic({ apiKey, baseURL })(settings.model), jsonMode: false };
    case 'ollama':
      return {
        model: createOpenAICompatible({ name: 'ollama', baseURL: baseURL ?? OLLAMA_DEFAULT_BASE_URL, apiKey })(settings.model),
        jsonMode: true,
      };
    case 'openai-compatible':
      // JSON mode is not universal among compatible servers (some reject json_object): rely on the prompt.
      return { model: createOpenAICompatible({ name: 'openai-compatible', baseURL: baseURL!, apiKey })(settings.model), jsonMode: false };
  }
}

/** An LlmClient backed by the AI SDK for the configured provider. */
export function createAiSdkClient(settings: LlmSettings): LlmClient {
  const { model, jsonMode } = languageModel(settings);
  return {
    provider: settings.provider,
    model: settings.model,
    async complete(request) {
      try {
        const result = await generateText({
          model,
          system: request.system,
          messages: request.messages,
          maxOutputTokens: request.maxOutputTokens,
          temperature: 0,
          maxRetries: 0,
          abortSignal: request.abortSignal,
          ...(jsonMode ? { output: Output.json() } : {}),
        });
        return { text: result.text, tokensIn: result.usage.inputTokens ?? null, tokensOut: result.usage.outputTokens ?? null };
      } catch (error) {
        // JSON mode parses eagerly; an unparseable answer is still an answer, judged (and paid for) upstream.
        if (NoObjectGeneratedError.isInstance(error) && error.text !== undefined) {
          return { text: error.text, tokensIn: error.usage?.inputTokens ?? null, tokensOut: error.usage?.outputTokens ?? null };
        }
        throw error;
      }
    },
  };
}
