/**
 * zod building blocks for the plain-object tree the XML reader produces (see reader.ts), and the
 * readable problem descriptions every arXiv parser reports through ArxivFormatError.
 */
import { z } from 'zod';
import { toIsoTimestamp } from '../dates.ts';
import { ArxivFormatError, type ArxivSource } from '../errors.ts';

/** Text content of a parsed element: a string, or `#text` of an element that also has attributes. */
function readText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const node = value as Record<string, unknown>;
    if (Object.keys(node).some((key) => key !== '#text' && !key.startsWith('@_'))) return undefined;
    const text = node['#text'];
    return typeof text === 'string' ? text : '';
  }
  return undefined;
}

const MISSING = 'missing';

function textProblem(value: unknown): string {
  if (value === undefined) return MISSING;
  if (Array.isArray(value)) return 'appears more than once';
  if (value !== null && typeof value === 'object') return 'contains child elements instead of text';
  return 'is not text';
}

/** A required, non-empty text element, trimmed (inner whitespace and line breaks are kept as sent). */
export const requiredText = z.unknown().optional().transform((value, ctx) => {
  const text = readText(value)?.trim();
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: textProblem(value) });
    return z.NEVER;
  }
  if (text === '') {
    ctx.addIssue({ code: 'custom', message: 'is empty' });
    return z.NEVER;
  }
  return text;
});

function trimmedOrEmpty(value: unknown, ctx: z.RefinementCtx): string {
  if (value === undefined) return '';
  const content = readText(value);
  if (content === undefined) {
    ctx.addIssue({ code: 'custom', message: textProblem(value) });
    return z.NEVER;
  }
  return content.trim();
}

/** A text element that may be absent or empty (both give ''), trimmed. */
export const text = z.unknown().optional().transform(trimmedOrEmpty);

/** An optional text element: absent or empty gives null. */
export const optionalText = z.unknown().optional().transform((value, ctx) => trimmedOrEmpty(value, ctx) || null);

/** A required date element, normalised by toIsoTimestamp. */
export const timestamp = requiredText.transform((value, ctx) => {
  const iso = toIsoTimestamp(value);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `is not a date ("${value}")` });
    return z.NEVER;
  }
  return iso;
});

/** A required whole number element (OpenSearch counts and the like). */
export const wholeNumber = requiredText
  .pipe(z.string().regex(/^\d+$/, 'is not a whole number'))
  .transform((value) => Number(value));

/** The trimmed text of a parsed element without validating it (null when it is not text). */
export function peekText(value: unknown): string | null {
  return readText(value)?.trim() ?? null;
}

/** An element with children or attributes (a loose object; unknown children are ignored). */
export function element<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.looseObject(shape, {
    error: (issue) => (issue.input === undefined ? MISSING : issue.input === '' ? 'is empty' : 'is not an element with content'),
  });
}

/** A repeated element (the parser makes it an array whenever present); absent gives []. */
export function repeated<Item extends z.ZodType>(item: Item) {
  return z.array(item).optional().transform((items) => items ?? []);
}

/** A required, non-empty attribute of the element being validated. */
export const requiredAttribute = z.unknown().optional().transform((value, ctx) => {
  if (typeof value !== 'string') {
    ctx.addIssue({ code: 'custom', message: value === undefined ? MISSING : 'is not text' });
    return z.NEVER;
  }
  const trimmed = value.trim();
  if (trimmed === '') {
    ctx.addIssue({ code: 'custom', message: 'is empty' });
    return z.NEVER;
  }
  return trimmed;
});

function describePath(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (const key of path) {
    if (typeof key === 'number') {
      const last = parts.pop() ?? '<?>';
      parts.push(`${last.slice(0, -1)} #${key + 1}>`);
    } else {
      const name = String(key);
      if (name === '#text') continue;
      parts.push(name.startsWith('@_') ? `@${name.slice(2)}` : `<${name}>`);
    }
  }
  return parts.join('/');
}

/** One readable sentence per problem, e.g. "missing <id> in entry 3", "<author #2>/<name> is empty in entry 3". */
export function describeIssues(error: z.ZodError, where: string): string {
  const sentences = error.issues.slice(0, 3).map((issue) => {
    const path = describePath(issue.path);
    const missing = issue.message === MISSING || (issue.code === 'invalid_type' && issue.expected === 'nonoptional');
    if (missing) return `missing ${path || 'element'} in ${where}`;
    return path ? `${path} ${issue.message} in ${where}` : `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more problems)` : '';
  return sentences.join('; ') + more;
}

/** Validates one parsed node against `schema`, throwing ArxivFormatError that names `where` on failure. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, source: ArxivSource, where: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ArxivFormatError(source, describeIssues(result.error, where));
  return result.data;
}
