/**
 * `papersift llm check`: does the configured LLM work, what will it cost, which model to use instead
 * of a missing one. Asks the provider for its model list (where it has one), makes one tiny structured
 * call, and words the answer for a person.
 */
import { z } from 'zod';
import { estimateCost } from './ledger.ts';
import { systemPrompt } from './prompt.ts';
import { createAiSdkClient, ollamaApiUrl, type LlmClient, type LlmSettings } from './provider.ts';

/** A current, inexpensive model per provider, suggested when the configured one is missing. */
export const RECOMMENDED_MODELS: Record<LlmSettings['provider'], string | null> = {
  openai: 'gpt-5-mini',
  anthropic: 'claude-haiku-4-5',
  ollama: 'qwen3:8b',
  'openai-compatible': null,
};

/** Tokens of one typical paper: the prompt plus an abstract of ~1,500 characters in, a card with its rubric out. */
const TYPICAL_ABSTRACT_CHARS = 1500;
const TYPICAL_OUTPUT_TOKENS = 900;

export interface LlmCheckReport {
  ok: boolean;
  lines: string[];
}

async function listModels(settings: LlmSettings, fetchImpl: typeof fetch, signal: AbortSignal): Promise<string[] | null> {
  const key = settings.apiKey ?? '';
  const request = ((): { url: string; headers: Record<string, string> } => {
    switch (settings.provider) {
      case 'openai':
        return { url: `${settings.baseUrl ?? 'https://api.openai.com/v1'}/models`, headers: { authorization: `Bearer ${key}` } };
      case 'anthropic':
        return { url: `${settings.baseUrl ?? 'https://api.anthropic.com/v1'}/models?limit=1000`, headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } };
      case 'ollama':
        return { url: `${ollamaApiUrl(settings.baseUrl)}/tags`, headers: {} };
      case 'openai-compatible':
        return { url: `${settings.baseUrl}/models`, headers: key ? { authorization: `Bearer ${key}` } : {} };
    }
  })();
  const response = await fetchImpl(request.url, { headers: request.headers, signal });
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${request.url.replace(/\?.*$/, '')}`);
  const body = z
    .union([z.object({ data: z.array(z.object({ id: z.string() })) }), z.object({ models: z.array(z.object({ name: z.string() })) })])
    .safeParse(await response.json());
  if (!body.success) return null;
  return 'data' in body.data ? body.data.data.map((m) => m.id) : body.data.models.map((m) => m.name);
}

/** The listed model sharing the longest prefix with the wanted one (a newer version of the same family, usually). */
export function closestModel(wanted: string, listed: readonly string[]): string | null {
  let best: string | null = null;
  let bestLength = 0;
  for (const model of listed) {
    let n = 0;
    while (n < Math.min(model.length, wanted.length) && model[n] === wanted[n]) n++;
    if (n > bestLength) [best, bestLength] = [model, n];
  }
  return bestLength >= 3 ? best : null;
}

export async function checkLlm(settings: LlmSettings, options: { fetch?: typeof fetch; client?: LlmClient; timeoutMs?: number } = {}): Promise<LlmCheckReport> {
  const lines: string[] = [`provider ${settings.provider}, model ${settings.model}${settings.baseUrl ? ` at ${settings.baseUrl}` : ''}`];
  const signal = AbortSignal.timeout(options.timeoutMs ?? settings.timeoutMs);
  let ok = true;
  let listed: string[] | null = null;
  try {
    listed = await listModels(settings, options.fetch ?? fetch, signal);
  } catch (error) {
    lines.push(`model list: not available (${error instanceof Error ? error.message : String(error)})`);
  }
  if (listed !== null) {
    const present = listed.includes(settings.model);
    lines.push(present ? `model list: ${listed.length} models; ${settings.model} is among them` : `model list: ${listed.length} models; ${settings.model} is NOT among them`);
    if (!present) {
      ok = false;
      const instead = closestModel(settings.model, listed) ?? (RECOMMENDED_MODELS[settings.provider] && listed.includes(RECOMMENDED_MODELS[settings.provider]!) ? RECOMMENDED_MODELS[settings.provider] : listed[0]);
      if (instead) lines.push(`use instead: PAPERSIFT_LLM=${settings.provider}:${instead}`);
    }
  }
  const client = options.client ?? createAiSdkClient(settings);
  try {
    const answer = await client.complete({
      system: 'You check that a connection works.',
      messages: [{ role: 'user', content: 'Answer with the JSON object {"ok": true}.' }],
      maxOutputTokens: Math.min(settings.maxOutputTokens, 2000),
      abortSignal: signal,
      schema: z.object({ ok: z.boolean() }),
      schemaName: 'check',
    });
    const answered = /"ok"\s*:\s*true/.test(answer.text);
    if (!answered) ok = false;
    lines.push(
      answered
        ? `structured call: answered (${answer.structured ? 'JSON schema sent' : 'prompt only: the server does not take a JSON schema'}; ${answer.tokensIn ?? '?'} tokens in, ${answer.tokensOut ?? '?'} out)`
        : `structured call: the answer was not the JSON asked for${answer.finishReason === 'length' ? ' (cut off: raise LLM_MAX_OUTPUT_TOKENS or lower LLM_REASONING_EFFORT)' : ''}: ${answer.text.slice(0, 200)}`,
    );
  } catch (error) {
    ok = false;
    lines.push(`structured call: failed: ${error instanceof Error ? error.message : String(error)}`);
    if (RECOMMENDED_MODELS[settings.provider] && RECOMMENDED_MODELS[settings.provider] !== settings.model) lines.push(`a current model to try: PAPERSIFT_LLM=${settings.provider}:${RECOMMENDED_MODELS[settings.provider]}`);
  }
  const tokensIn = Math.ceil((systemPrompt().length + TYPICAL_ABSTRACT_CHARS) / 4);
  const perPaper = estimateCost(tokensIn, TYPICAL_OUTPUT_TOKENS, { inputPerMTok: settings.priceInputPerMTok, outputPerMTok: settings.priceOutputPerMTok });
  lines.push(
    perPaper === null
      ? `cost: unknown (set LLM_PRICE_INPUT_PER_MTOK and LLM_PRICE_OUTPUT_PER_MTOK); a paper takes about ${tokensIn} tokens in and ${TYPICAL_OUTPUT_TOKENS} out, plus any reasoning`
      : `cost: about $${(perPaper * 1000).toFixed(2)} per 1,000 papers at the configured prices (${tokensIn} tokens in, ${TYPICAL_OUTPUT_TOKENS} out per paper, before reasoning tokens and retries)`,
  );
  lines.push(ok ? 'the configuration works' : 'the configuration does NOT work as it is');
  return { ok, lines };
}
