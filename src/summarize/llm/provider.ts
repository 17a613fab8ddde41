/**
 * The one narrow door to LLM providers: "send these messages, give me the text and the token counts".
 * Everything else (prompting, validation, retries, the ledger) lives above it and is provider-neutral.
 * Providers are reached through the AI SDK, each given the answer's JSON schema the way it takes one
 * (OpenAI strict JSON schema, Anthropic tool use, Ollama's `format`, compatible servers' response_format).
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, NoObjectGeneratedError, Output, type FinishReason, type LanguageModel } from 'ai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createOllama } from 'ollama-ai-provider-v2';
import type { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { isRetryableStatus, parseRetryAfterMs } from '../../http/retry-policy.ts';

// The AI SDK prints setting warnings (e.g. temperature on reasoning models) to the console; papersift logs its own way.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export type LlmSettings = NonNullable<Config['llm']>;
/** Per-provider request options, as generateText takes them. */
type ProviderOptions = NonNullable<Parameters<typeof generateText>[0]['providerOptions']>;

export type LlmProviderName = LlmSettings['provider'];

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  system: string;
  messages: LlmMessage[];
  maxOutputTokens: number;
  abortSignal: AbortSignal;
  /** The answer's schema, sent to providers that take one; the answer is validated upstream either way. */
  schema?: z.ZodType;
  schemaName?: string;
  /**
   * Called when the HTTP request is handed to fetch, after the SDK has built it (schema conversion and
   * serialisation take 100–200 ms of CPU on a busy machine): the engine's timeout starts there, so
   * LLM_TIMEOUT_MS measures the provider, not local preparation.
   */
  onSend?: () => void;
}

export interface LlmResponse {
  text: string;
  tokensIn: number | null;
  tokensOut: number | null;
  /** 'length': the output budget cut the answer off (reasoning models may spend it all thinking). */
  finishReason: FinishReason;
  /** Whether this request carried the schema. */
  structured: boolean;
}

/** What every provider offers papersift: one completion, no retries (the engine retries and records each call). */
export interface LlmClient {
  readonly provider: LlmProviderName;
  readonly model: string;
  /** False once the provider has refused schemas (or they are off): requests are prompt-and-validate. */
  readonly structured?: boolean;
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

/** Ollama's native API (its `format` field takes a JSON schema); a base URL ending in /v1 or /api is accepted too. */
export function ollamaApiUrl(baseUrl: string | null): string {
  const root = (baseUrl ?? OLLAMA_DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/(v1|api)$/, '');
  return `${root}/api`;
}

interface ModelChoice {
  /** The model asked for the structured answer (the schema sent as each provider takes it). */
  model: LanguageModel;
  /** The same model without a schema: prompt and validate (a compatible server that refuses schemas). */
  plain: LanguageModel | null;
  /** Provider options of one request with this output budget. */
  providerOptions(maxOutputTokens: number): ProviderOptions;
}

/** The request being sent (its onSend), for the fetch every provider is given. */
const sending = new AsyncLocalStorage<{ onSend?: () => void }>();
const sendingFetch: typeof fetch = (input, init) => {
  sending.getStore()?.onSend?.();
  return globalThis.fetch(input, init);
};

function languageModel(settings: LlmSettings): ModelChoice {
  const baseURL = settings.baseUrl ?? undefined;
  const fetch = sendingFetch;
  const apiKey = settings.apiKey ?? undefined;
  const effort = settings.reasoningEffort;
  switch (settings.provider) {
    case 'openai': {
      const openai = createOpenAI({ apiKey, baseURL, fetch });
      // strictJsonSchema: the schema is enforced by OpenAI's decoder, not only described to the model.
      const options = { strictJsonSchema: true, ...(effort ? { reasoningEffort: effort } : {}) };
      return { model: settings.openaiApi === 'chat' ? openai.chat(settings.model) : openai.responses(settings.model), plain: null, providerOptions: () => ({ openai: options }) };
    }
    case 'anthropic':
      // Tool use: the card schema is the input schema of a forced tool (the SDK switches to output_config.format for models that refuse forced tools).
      return { model: createAnthropic({ apiKey, baseURL, fetch })(settings.model), plain: null, providerOptions: () => ({ anthropic: { structuredOutputMode: 'jsonTool' } }) };
    case 'ollama':
      // Ollama reads the output budget from options.num_predict, not from a top-level field.
      return {
        model: createOllama({ baseURL: ollamaApiUrl(settings.baseUrl), fetch, ...(apiKey ? { headers: { authorization: `Bearer ${apiKey}` } } : {}) })(settings.model),
        plain: null,
        providerOptions: (maxOutputTokens) => ({ ollama: { think: effort !== null, options: { num_predict: maxOutputTokens } } }),
      };
    case 'openai-compatible': {
      const make = (supportsStructuredOutputs: boolean) =>
        createOpenAICompatible({ name: 'compatible', baseURL: baseURL!, apiKey, supportsStructuredOutputs, fetch })(settings.model);
      return { model: make(true), plain: make(false), providerOptions: (): ProviderOptions => (effort ? { compatible: { reasoningEffort: effort } } : {}) };
    }
  }
}

/** Does this refusal say the server does not take a response schema (as opposed to a bad key or model)? */
function refusesSchema(error: unknown): boolean {
  return APICallError.isInstance(error) && (error.statusCode === 400 || error.statusCode === 422) && /response_format|json_schema|schema|structured/i.test(`${error.message} ${error.responseBody ?? ''}`);
}

/** An LlmClient backed by the AI SDK for the configured provider. */
export function createAiSdkClient(settings: LlmSettings): LlmClient {
  const choice = languageModel(settings);
  // 'auto': a compatible server that refused the schema once is asked without it for the rest of the run.
  let schemaRefused = settings.structuredOutput === 'off';
  return {
    provider: settings.provider,
    model: settings.model,
    get structured() {
      return !schemaRefused;
    },
    async complete(request) {
      const structured = request.schema !== undefined && !schemaRefused;
      const plainModel = choice.plain ?? choice.model;
      try {
        return await generate(structured ? choice.model : plainModel, request, structured, choice.providerOptions(request.maxOutputTokens));
      } catch (error) {
        if (structured && settings.structuredOutput === 'auto' && choice.plain !== null && refusesSchema(error)) {
          schemaRefused = true;
          return await generate(choice.plain, request, false, choice.providerOptions(request.maxOutputTokens));
        }
        throw error;
      }
    },
  };
}

async function generate(model: LanguageModel, request: LlmRequest, structured: boolean, providerOptions: ProviderOptions): Promise<LlmResponse> {
  try {
    const result = await sending.run({ onSend: request.onSend }, () => generateText({
      model,
      system: request.system,
      messages: request.messages,
      maxOutputTokens: request.maxOutputTokens,
      temperature: 0,
      maxRetries: 0,
      abortSignal: request.abortSignal,
      providerOptions,
      ...(structured && request.schema ? { output: Output.object({ schema: request.schema, name: request.schemaName }) } : {}),
    }));
    return { text: result.text, tokensIn: result.usage.inputTokens ?? null, tokensOut: result.usage.outputTokens ?? null, finishReason: result.finishReason, structured };
  } catch (error) {
    // The SDK parses and checks structured answers eagerly; an answer that fails is still an answer,
    // judged (and paid for) upstream with reasons a corrective retry can name.
    if (NoObjectGeneratedError.isInstance(error)) {
      return { text: error.text ?? '', tokensIn: error.usage?.inputTokens ?? null, tokensOut: error.usage?.outputTokens ?? null, finishReason: error.finishReason ?? 'other', structured };
    }
    throw error;
  }
}
