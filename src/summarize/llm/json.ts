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

/** Every balanced {...} span starting at an opening brace, outermost first, strings and escapes respected. */
function* balancedObjects(text: string): Generator<string> {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
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

export function extractJson(answer: string): JsonExtraction {
  const text = answer
    .replace(/^\uFEFF/, '')
    .replace(/<think>[\s\S]*?<\/think>/gi, '')
    .trim();
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
