/**
 * Tolerant JSON extraction: models wrap JSON in code fences, put prose or <think> blocks before it,
 * or leave a trailing comma. This finds the JSON object in the answer; validation comes after.
 */

export type JsonExtraction = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): Record<string, unknown> | undefined {
  for (const candidate of [text, text.replace(/,\s*([}\]])/g, '$1')]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (isObject(value)) return value;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/**
 * Opening braces tried as the start of the object. Each try scans to the end of the answer, so an
 * answer of thousands of unclosed braces would take quadratic time; the object a model means is always
 * among its first braces.
 */
const MAX_OBJECT_STARTS = 64;

/** Every balanced {...} span starting at an opening brace, outermost first, strings and escapes respected. */
function* balancedObjects(text: string): Generator<string> {
  let tried = 0;
  for (let start = text.indexOf('{'); start !== -1 && tried < MAX_OBJECT_STARTS; start = text.indexOf('{', start + 1), tried++) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) {
          yield text.slice(start, i + 1);
          break;
        }
      }
    }
  }
}

/**
 * The answer without its <think>…</think> blocks. A linear scan: the lazy regex this replaces rescanned
 * the rest of the answer from every unclosed <think>, quadratic on an answer of many of them.
 */
function withoutThinking(answer: string): string {
  const lower = answer.toLowerCase();
  let out = '';
  let from = 0;
  for (;;) {
    const open = lower.indexOf('<think>', from);
    if (open === -1) break;
    const close = lower.indexOf('</think>', open + 7);
    if (close === -1) break; // an unclosed block stays, as before
    out += answer.slice(from, open);
    from = close + 8;
  }
  return out + answer.slice(from);
}

export function extractJson(answer: string): JsonExtraction {
  const text = withoutThinking(answer.replace(/^\uFEFF/, '')).trim();
  if (text === '') return { ok: false, reason: 'the answer is empty' };
  const direct = tryParse(text);
  if (direct) return { ok: true, value: direct };
  for (const fence of text.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) {
    const parsed = tryParse(fence[1]!.trim());
    if (parsed) return { ok: true, value: parsed };
  }
  for (const span of balancedObjects(text)) {
    const parsed = tryParse(span);
    if (parsed) return { ok: true, value: parsed };
  }
  return { ok: false, reason: text.includes('{') ? 'the answer contains no parseable JSON object' : 'the answer contains no JSON object' };
}
