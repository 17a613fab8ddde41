/**
 * Shared edge helpers for arXiv's XML sources (the API's Atom feed, the rss.arxiv.org feeds and
 * OAI-PMH): a configured, validating XML parser, zod building blocks for the parsed tree, the errors
 * every parser throws, and the text conventions (ids, dates, author lists) the three sources share.
 *
 * Everything here is pure: strings in, typed data out.
 */
import { SaxesParser } from 'saxes';
import { z } from 'zod';
import { isXmlChar, withoutForbiddenCharacters } from '../domain/forbidden-characters.ts';
import type { PaperAuthor } from '../domain/paper.ts';
import { parseArxivId } from './ids.ts';
import { collapseWhitespace } from './text.ts';

export type ArxivSource = 'api' | 'rss' | 'oai';

const SOURCE_LABEL: Record<ArxivSource, string> = {
  api: 'arXiv API',
  rss: 'arXiv announcement feed',
  oai: 'arXiv OAI-PMH',
};

/** The response is not what the source documents: malformed or truncated XML, a missing field, a bad value. */
export class ArxivFormatError extends Error {
  readonly source: ArxivSource;
  /** 1-based line of the XML where the problem was found, when the XML itself is broken. */
  readonly line: number | null;

  constructor(source: ArxivSource, detail: string, options: { line?: number; cause?: unknown } = {}) {
    super(`${SOURCE_LABEL[source]} response: ${detail}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ArxivFormatError';
    this.source = source;
    this.line = options.line ?? null;
  }
}

/**
 * The service answered with an error of its own inside a well-formed body: an API error entry
 * (`http://arxiv.org/api/errors#…`) or an OAI-PMH `<error code="…">`.
 */
export class ArxivApiError extends Error {
  readonly source: ArxivSource;
  /** The OAI-PMH error code (badArgument, idDoesNotExist, …) or the API error's fragment (incorrect_id_format_for_abc). */
  readonly code: string;
  /** The service's own message, whitespace-collapsed. */
  readonly detail: string;

  constructor(source: ArxivSource, code: string, detail: string) {
    super(`${SOURCE_LABEL[source]} error ${code}: ${detail}`);
    this.name = 'ArxivApiError';
    this.source = source;
    this.code = code;
    this.detail = detail;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/** Decides which elements are always arrays, given the element's local name and its dotted path. */
export type ArrayTagRule = (name: string, path: string) => boolean;

/**
 * The references accepted as well-formed (as the validator used before saxes accepted
 * them): `&#…;`, `&#x…;`, or a name of up to 20 letters, digits and underscores.
 */
const ACCEPTED_REFERENCE = /^(?:#(?:x[0-9a-fA-F]*|\d*)|\w{1,20})$/;
const DECIMAL_REFERENCE = /^#(\d{1,7})$/;
const HEX_REFERENCE = /^#x([0-9a-fA-F]{1,6})$/;

/**
 * Decodes exactly what XML defines: the five predefined entities and numeric character references.
 * Entities declared in a DOCTYPE are never expanded (no entity-expansion attacks, no surprises): any
 * other well-formed reference stays literal text, as does a numeric reference to a character XML does
 * not allow. Each reference is decoded once, so `&amp;lt;` stays the literal text `&lt;`.
 * Returns null for a malformed reference (a bare `&`).
 */
function decodeReference(name: string): string | null {
  switch (name) {
    case 'amp': return '&';
    case 'lt': return '<';
    case 'gt': return '>';
    case 'quot': return '"';
    case 'apos': return "'";
    default:
  }
  if (!ACCEPTED_REFERENCE.test(name)) return null;
  if (name.charCodeAt(0) === 0x23) {
    const decimal = DECIMAL_REFERENCE.exec(name);
    const hex = decimal === null ? HEX_REFERENCE.exec(name) : null;
    if (decimal !== null || hex !== null) {
      const codePoint = decimal !== null ? Number.parseInt(decimal[1]!, 10) : Number.parseInt(hex![1]!, 16);
      if (isXmlChar(codePoint)) return String.fromCodePoint(codePoint);
    }
  }
  return `&${name};`;
}

// The parser tolerates the characters XML forbids in text, as arXiv's feeds have been seen to carry
// them, and drops them here (see withoutForbiddenCharacters).
function attributesWithoutForbiddenCharacters(attributes: Record<string, string>): Record<string, string> {
  for (const name in attributes) attributes[name] = withoutForbiddenCharacters(attributes[name]!);
  return attributes;
}

/**
 * Takes over the children of the root element that it wants (the API's entries, …): instead of
 * being built into the tree, such a child's content arrives as events, and what `end` returns is
 * kept in the tree in its place. Lets a parser turn each entry into its record as the document is
 * read, without building (and holding) a tree for it. Well-formedness is still checked as usual;
 * names are local names (prefixes removed), attributes are as written.
 */
export interface RootChildReader {
  /** A child of the root opened; `start` is the offset of its `<`. True to take its content as events. */
  begin(rootName: string, name: string, start: number): boolean;
  /** An element inside it opened at `depth` (1 for the child's own children). */
  open(name: string, depth: number, attributes: Readonly<Record<string, string>>): void;
  /** Character data or CDATA inside it (also inside its descendants). */
  text(data: string): void;
  /** The element inside it at `depth` closed. */
  close(depth: number): void;
  /** The child itself closed; `end` is the offset just past its end tag. */
  end(end: number): unknown;
}

/** A well-formedness problem, with the 1-based line it was found on. */
class XmlSyntaxError extends Error {
  constructor(readonly detail: string, readonly line: number, readonly unclosed: readonly string[] | null = null) {
    super(detail);
  }
}

/** 1-based line and column of `index` in `text`, lines counted by "\n" (as these errors always have been). */
function lineAndColumn(text: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: index - lineStart + 1 };
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  return lines;
}

function describeSyntaxError(xml: string, error: XmlSyntaxError): { line: number; detail: string } {
  if (error.unclosed !== null) {
    const line = lineCount(xml.trimEnd());
    const names = error.unclosed.map((name) => `<${name}>`);
    return { line, detail: `truncated or malformed XML at line ${line}: the document ends with ${names.join(' > ') || 'elements'} still open` };
  }
  const root = rootNameOf(xml);
  if (root !== null && !new RegExp(`</${root.replace(/[.]/g, '\\.')}\\s*>$`).test(xml.trimEnd())) {
    const line = lineCount(xml.trimEnd());
    return { line, detail: `truncated or malformed XML at line ${line}: the document ends before its closing </${root}> (${error.detail.replace(/\.$/, '')}, line ${error.line})` };
  }
  return { line: error.line, detail: `truncated or malformed XML at line ${error.line}: ${error.detail}` };
}

/** The name of the first element, skipping the declaration, processing instructions, comments and DOCTYPE. */
function rootNameOf(xml: string): string | null {
  const body = xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>/gi, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1] ?? null;
}

/** The first `&` that does not start an accepted reference, if any (diagnostics only). */
function findBareAmpersand(xml: string): number {
  const reference = /&(?:#(?:x[0-9a-fA-F]*|\d*)|\w{1,20});/y;
  for (let i = xml.indexOf('&'); i !== -1; i = xml.indexOf('&', i + 1)) {
    reference.lastIndex = i;
    if (!reference.test(xml)) return i;
  }
  return -1;
}

/** Element names that would change or reach an object's prototype: refused. */
const CRITICAL_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
/** Element names that would shadow Object.prototype methods: renamed `__name`. */
const SHADOWING_NAMES = new Set(['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}

/** An element being read: its content so far. */
interface OpenElement {
  /** Its key in the parent: the local name (namespace prefixes vary between arXiv's responses). */
  key: string;
  /** Its name as written, for error messages. */
  qname: string;
  path: string;
  attributes: Record<string, string>;
  /** Child elements by key, in order of first appearance; null while there are none. */
  children: Record<string, unknown> | null;
  /** Character data and CDATA, concatenated and kept raw. */
  text: string;
  /** Offset just past its start tag. */
  end: number;
}

/**
 * The plain-object value of a closed element: its text when it has neither children nor attributes,
 * else an object with its children (repeated ones as arrays), `#text` when it has text, and its
 * attributes as `@_name` (namespace declarations dropped, prefixes removed).
 */
function elementValue(element: OpenElement): unknown {
  const { attributes } = element;
  let node = element.children;
  for (const name in attributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    if (node === null) node = {};
    if (element.text !== '' && node['#text'] === undefined) node['#text'] = element.text;
    node[`@_${localName(name)}`] = attributes[name];
  }
  if (node === null) return element.text;
  if (element.text !== '' && node['#text'] === undefined) node['#text'] = element.text;
  return node;
}

/** An element's key in its parent: its local name, refused when it would reach Object.prototype, renamed `__name` when it would shadow one of its methods. */
function elementKey(qualified: string): string {
  const local = localName(qualified);
  // By length first: nearly every name is none of these and costs one comparison.
  switch (local.length) {
    case 7:
    case 8:
    case 14:
    case 16:
      return SHADOWING_NAMES.has(local) ? `__${local}` : local;
    case 9:
    case 11:
      if (CRITICAL_NAMES.has(local)) throw new Error(`[SECURITY] Invalid name: "${local}" is a reserved JavaScript keyword that could cause prototype pollution`);
      return local;
    default:
      return local;
  }
}

/** Line (counted by "\n") of the character before `position`. */
function lineBefore(text: string, position: number): number {
  return lineAndColumn(text, Math.max(0, position - 1)).line;
}

/**
 * A saxes well-formedness error as an XmlSyntaxError, with the wording these parsers reported before
 * (from the validator used before saxes) for the problems both find: mismatched tags, stray text, …
 */
function syntaxError(text: string, message: string, position: number, lastClosed: OpenElement | undefined, afterRoot: boolean): XmlSyntaxError {
  if (message === 'unexpected close tag.' && lastClosed !== undefined) {
    const close = text.lastIndexOf('</', position - 1);
    const closeName = /^<\/([^\s>]*)/.exec(text.slice(close, close + 1000))?.[1] ?? '';
    const opened = lineAndColumn(text, text.lastIndexOf('<', lastClosed.end - 1));
    return new XmlSyntaxError(
      `Expected closing tag '${lastClosed.qname}' (opened in line ${opened.line}, col ${opened.col}) instead of closing tag '${closeName}'.`,
      lineAndColumn(text, close).line,
    );
  }
  if (message.startsWith('unmatched closing tag: ')) {
    const close = text.lastIndexOf('</', position - 1);
    return new XmlSyntaxError(`Closing tag '${message.slice(23, -1)}' has not been opened.`, lineAndColumn(text, close).line);
  }
  if (message === 'disallowed character in closing tag.') {
    const close = text.lastIndexOf('</', position - 1);
    const closeName = /^<\/([^\s>]*)/.exec(text.slice(close, close + 1000))?.[1] ?? '';
    return new XmlSyntaxError(`Closing tag '${closeName}' can't have attributes or invalid starting.`, lineAndColumn(text, close).line);
  }
  if (message === 'text data outside of root node.') {
    let index = text.lastIndexOf('>', position - 2) + 1;
    while (index < position && /\s/.test(text[index]!)) index += 1;
    const line = lineAndColumn(text, index).line;
    return new XmlSyntaxError(afterRoot ? 'Extra text at the end' : `char '${text[index] ?? ''}' is not expected.`, line);
  }
  if (message === 'disallowed character.') return new XmlSyntaxError("char '<' is not expected in an attribute value.", lineBefore(text, position));
  if (message.startsWith('duplicate attribute: ')) return new XmlSyntaxError(`Attribute '${message.slice(21, -1)}' is repeated.`, lineBefore(text, position));
  if (message === 'documents may contain only one root.') return new XmlSyntaxError('Multiple possible root nodes found.', lineBefore(text, position));
  if (message === 'document must contain a root element.') return new XmlSyntaxError('Start tag expected.', 1);
  return new XmlSyntaxError(message, lineBefore(text, position));
}

/**
 * The error for a document that ends with elements still open (almost always a truncated
 * response), worded as before: which elements are open, or what the document ends in (a tag, a
 * bare `&`).
 */
function unclosedAtEnd(text: string, stack: readonly OpenElement[]): XmlSyntaxError {
  const open = stack.map((element) => element.qname);
  const trimmed = text.trimEnd();
  const lastLine = lineCount(trimmed);
  // saxes reads a reference up to the next `;`, so a bare `&` with no `;` after it swallows the rest.
  const ampersand = text.indexOf('&', text.lastIndexOf(';') + 1);
  if (ampersand !== -1 && ampersand >= (stack[0]?.end ?? 0) && !/^&(?:#(?:x[0-9a-fA-F]*|\d*)|\w{0,20})$/.test(text.slice(ampersand, ampersand + 40))) {
    return new XmlSyntaxError("char '&' is not expected.", lineAndColumn(text, ampersand).line);
  }
  if (stack.length > 0 && new RegExp(`</${stack[0]!.qname.replace(/[.]/g, '\\.')}\\s*>$`).test(trimmed)) {
    // The closing tags are there, but something swallowed them: a bare `&` or markup left open.
    const bare = findBareAmpersand(text);
    if (bare !== -1) return new XmlSyntaxError("char '&' is not expected.", lineAndColumn(text, bare).line);
  }
  let unclosedStart = stack.length > 0 ? text.lastIndexOf('<', stack[0]!.end - 1) : -1;
  const lt = text.lastIndexOf('<');
  if (lt > text.lastIndexOf('>') && text[lt + 1] !== '!' && text[lt + 1] !== '?') {
    // The document ends inside a tag.
    const name = /^<\/?([^\s/>]*)/.exec(text.slice(lt, lt + 1000))?.[1] ?? '';
    if (name === '') return new XmlSyntaxError("Invalid space after '<'.", lastLine);
    if (text[lt + 1] === '/') return new XmlSyntaxError(`Closing tag '${name}' doesn't have proper closing.`, lastLine);
    const attributesStart = lt + 1 + name.length;
    let quote = '';
    for (let i = attributesStart; i < text.length; i += 1) {
      const char = text[i]!;
      if (quote === '' ? char === '"' || char === "'" : char === quote) quote = quote === '' ? char : '';
    }
    if (quote !== '') return new XmlSyntaxError(`Attributes for '${name}' have open quote.`, lineAndColumn(text, attributesStart).line);
    const attributes = text.slice(attributesStart);
    const incomplete = /\s([^\s="']+)(\s*=)?\s*$/.exec(attributes);
    if (incomplete !== null) {
      const line = lineAndColumn(text, attributesStart + incomplete.index + 1).line;
      return new XmlSyntaxError(incomplete[2] === undefined ? `boolean attribute '${incomplete[1]}' is not allowed.` : `Attribute '${incomplete[1]}' is without value.`, line);
    }
    if (!attributes.trimEnd().endsWith('/')) {
      open.push(name);
      if (unclosedStart === -1) unclosedStart = lt;
    }
  }
  if (open.length === 0) return new XmlSyntaxError('Start tag expected.', 1);
  if (open.length === 1) return new XmlSyntaxError(`Unclosed tag '${open[0]}'.`, lineAndColumn(text, unclosedStart).line);
  return new XmlSyntaxError('', lastLine, open);
}

/**
 * saxes resolves every `&…;` through its (undocumented) parseEntity method; this parser replaces it
 * so that references decode exactly as described at decodeReference (DOCTYPE entities are never
 * expanded) and a bare `&` is reported where it stands rather than at the next `;`.
 */
class ArxivXmlParser extends SaxesParser<{ xmlns: false; position: false; forceXMLVersion: true; defaultXMLVersion: '1.0' }> {
  source = '';
}
Object.defineProperty(ArxivXmlParser.prototype, 'parseEntity', {
  value(this: ArxivXmlParser, entity: string): string {
    const decoded = decodeReference(entity);
    if (decoded !== null) return decoded;
    const text = this.source;
    const end = this.position - 1;
    let ampersand = end - entity.length - 1;
    if (text.charCodeAt(ampersand) !== 0x26) ampersand = text.lastIndexOf('&', end);
    throw new XmlSyntaxError("char '&' is not expected.", lineAndColumn(text, ampersand).line);
  },
});

/**
 * Reads `text` with saxes into plain objects: namespace prefixes removed (arXiv's own prefixes vary
 * between old and new responses), attributes kept as `@_name`, every value kept as a string (a title
 * "0" stays "0"), text not trimmed (so CDATA sections keep their surrounding spaces; the zod helpers
 * below trim the whole value), repeated elements as arrays, and always so per `isArrayTag`.
 */
function readXml(text: string, isArrayTag: ArrayTagRule, reader: RootChildReader | undefined): Record<string, unknown> {
  const parser = new ArxivXmlParser({ xmlns: false, position: false, forceXMLVersion: true, defaultXMLVersion: '1.0' });
  parser.source = text;
  // Dotted paths cost a string per element: built only for a rule that takes one.
  const withPath = isArrayTag.length > 1;
  const stack: OpenElement[] = [];
  let depth = 0;
  let top: OpenElement | undefined;
  let lastClosed: OpenElement | undefined;
  let document: Record<string, unknown> | null = null;
  /** While a RootChildReader has a child of the root: the depth of that child, else 0. */
  let readDepth = 0;

  parser.on('error', (error) => {
    const message = error.message;
    const position = parser.position;
    // Tolerated as before: control characters in text (dropped by onText), "]]>" in text (kept as text).
    if (message === 'disallowed character.' && text.charCodeAt(position - 1) !== 0x3c) return;
    if (message === 'the string "]]>" is disallowed in char data.' || message === 'undefined entity.') return;
    throw syntaxError(text, message, position, lastClosed, document !== null);
  });

  parser.on('opentag', (tag) => {
    const key = elementKey(tag.name);
    const attributes = attributesWithoutForbiddenCharacters(tag.attributes);
    // Frames are reused by depth: a page of 1000 entries allocates a handful, not 30,000.
    let element = stack[depth];
    if (element === undefined) {
      element = { key, qname: tag.name, path: '', attributes, children: null, text: '', end: 0 };
      stack.push(element);
    } else {
      element.key = key;
      element.qname = tag.name;
    }
    element.end = parser.position;
    depth += 1;
    top = element;
    if (readDepth !== 0) {
      reader!.open(key, depth - readDepth, attributes);
      return;
    }
    element.attributes = attributes;
    element.children = null;
    element.text = '';
    if (withPath) element.path = depth === 1 ? key : `${stack[depth - 2]!.path}.${key}`;
    if (depth === 2 && reader !== undefined && reader.begin(stack[0]!.key, key, text.lastIndexOf('<', element.end - 1))) readDepth = depth;
  });

  const onText = (raw: string) => {
    const data = withoutForbiddenCharacters(raw);
    if (readDepth !== 0) reader!.text(data);
    else if (top !== undefined) top.text += data;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    const element = stack[depth - 1]!;
    lastClosed = element;
    let value: unknown;
    if (readDepth !== 0) {
      if (depth > readDepth) {
        reader!.close(depth - readDepth);
        depth -= 1;
        top = stack[depth - 1];
        return;
      }
      readDepth = 0;
      value = reader!.end(parser.position);
    } else {
      value = elementValue(element);
    }
    depth -= 1;
    if (depth === 0) {
      top = undefined;
      document = { [element.key]: value };
      return;
    }
    const parent = stack[depth - 1]!;
    top = parent;
    const key = element.key;
    const children = parent.children;
    if (children === null) {
      parent.children = { [key]: isArrayTag(key, element.path) ? [value] : value };
      return;
    }
    const existing = Object.hasOwn(children, key) ? children[key] : undefined;
    if (existing === undefined) children[key] = isArrayTag(key, element.path) ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else children[key] = [existing, value];
  });

  parser.write(text);
  if (depth > 0 || document === null) throw unclosedAtEnd(text, stack.slice(0, depth));
  parser.close();
  if (document === null) throw new XmlSyntaxError('Start tag expected.', 1);
  return document;
}

/**
 * Checks that `xml` is well-formed as a whole (so truncated or broken input never yields partial
 * data) and reads it into plain objects (see readXml). Throws ArxivFormatError with the offending
 * line for anything that is not well-formed XML.
 */
export function parseXmlDocument(xml: string, source: ArxivSource, isArrayTag: ArrayTagRule, reader?: RootChildReader): Record<string, unknown> {
  if (typeof xml !== 'string') throw new ArxivFormatError(source, `expected the response body as a string, got ${typeof xml}`);
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (!/\S/.test(text)) throw new ArxivFormatError(source, 'empty response: no XML at all', { line: 1 });
  try {
    return readXml(text, isArrayTag, reader);
  } catch (error) {
    if (error instanceof XmlSyntaxError) {
      const { line, detail } = describeSyntaxError(text, error);
      throw new ArxivFormatError(source, detail, { line });
    }
    throw new ArxivFormatError(source, `malformed XML: ${(error as Error).message}`, { cause: error });
  }
}

/** The single root element of a parsed document: its local name and content. */
export function rootElement(doc: Record<string, unknown>, source: ArxivSource): { name: string; node: unknown } {
  const names = Object.keys(doc).filter((key) => !key.startsWith('#') && !key.startsWith('@_') && !key.startsWith('?'));
  if (names.length !== 1) throw new ArxivFormatError(source, `expected one root element, found ${names.length === 0 ? 'none' : names.map((n) => `<${n}>`).join(', ')}`);
  const name = names[0]!;
  return { name, node: doc[name] };
}

// ---------------------------------------------------------------------------------------------
// zod building blocks for the parsed tree
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Domain validation
// ---------------------------------------------------------------------------------------------

const isoTimestamp = z.iso.datetime({ error: 'is not an ISO timestamp' });

/** The domain record every source produces; validated once per record at the edge. */
export const paperRecordSchema = z.object({
  id: z.string().refine((id) => parseArxivId(id)?.version === null, 'is not a versionless arXiv id'),
  version: z.number().int().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.object({ name: z.string().min(1), affiliations: z.array(z.string().min(1)) })),
  categories: z.array(z.string().min(1)).min(1, 'no categories'),
  comment: z.string().min(1).nullable(),
  journalRef: z.string().min(1).nullable(),
  doi: z.string().min(1).nullable(),
  license: z.string().min(1).nullable(),
  published: isoTimestamp,
  updated: isoTimestamp,
  versions: z.array(z.object({ version: z.number().int().min(1), submitted: isoTimestamp })).optional(),
});

// ---------------------------------------------------------------------------------------------
// Shared text conventions
// ---------------------------------------------------------------------------------------------

/**
 * Splits an arXiv identifier as the sources send it ("http://arxiv.org/abs/2401.00001v2",
 * "oai:arXiv.org:hep-th/9901001", "arXiv:2401.00001v1") into id and version (null when absent).
 */
export function splitArxivId(raw: string): { id: string; version: number | null } | null {
  const bare = raw.trim()
    .replace(/^https?:\/\/(?:export\.|www\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/\.pdf$/i, '');
  return parseArxivId(bare);
}

/** The values without repeats, each at its first position. */
export function uniqueInOrder(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const RFC_2822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC?|Z|EST|EDT|CST|CDT|MST|MDT|PST|PDT|[+-]\d{4})?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function digitsAt(value: string, start: number, count: number): number {
  let number = 0;
  for (let i = start; i < start + count; i += 1) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * Whether `value` already is the normalised form, "YYYY-MM-DDTHH:MM:SSZ" naming a real instant
 * (as the API's own dates are): then normalising it gives it back unchanged. Years before 1000 go
 * the long way, which has its own rules for them.
 */
function isCanonicalTimestamp(value: string): boolean {
  if (value.length !== 20 || value[4] !== '-' || value[7] !== '-' || value[10] !== 'T' || value[13] !== ':' || value[16] !== ':' || value[19] !== 'Z') return false;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day <= daysInMonth;
}

/**
 * Normalises a date as arXiv sends it (ISO 8601 with or without time/offset, or RFC 2822 like
 * "Mon, 2 Apr 2007 19:18:42 GMT") to UTC "YYYY-MM-DDTHH:MM:SSZ". A date without time means midnight
 * UTC; a time without an offset is taken as UTC. Returns null for anything else.
 */
export function toIsoTimestamp(raw: string): string | null {
  const value = raw.trim();
  if (isCanonicalTimestamp(value)) return value;
  let millis: number;
  const iso = ISO_DATE.exec(value);
  if (iso) {
    const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = iso;
    millis = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
    if (Number.isNaN(millis) || new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() !== Number(day)) return null;
  } else if (RFC_2822.test(value)) {
    millis = Date.parse(value);
  } else {
    return null;
  }
  if (Number.isNaN(millis)) return null;
  return new Date(millis).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The calendar date (YYYY-MM-DD) a timestamp names in its own offset: "Thu, 24 Sep 2026 00:00:00 -0400"
 * is 2026-09-24 (an announcement day in New York), not the UTC date. Null when unparseable.
 */
export function toCalendarDate(raw: string): string | null {
  const value = raw.trim();
  if (toIsoTimestamp(value) === null) return null;
  const iso = ISO_DATE.exec(value);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const rfc = RFC_2822.exec(value)!;
  const month = MONTHS.indexOf(rfc[2]!.toLowerCase());
  if (month === -1) return null;
  return `${rfc[3]}-${String(month + 1).padStart(2, '0')}-${rfc[1]!.padStart(2, '0')}`;
}

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const NUMBERED_REFS = /^\s*\d+(?:\s*(?:,|and|&)\s*\d+)*\s*$/;

/** Splits at depth 0 (outside (…) and […]) wherever `separator` matches. */
function splitOutsideBrackets(text: string, separator: RegExp): string[] {
  const sticky = new RegExp(separator.source, `${separator.flags.replace('g', '')}y`);
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '(' || char === '[') depth += 1;
    else if ((char === ')' || char === ']') && depth > 0) depth -= 1;
    else if (depth === 0) {
      sticky.lastIndex = i;
      const match = sticky.exec(text);
      if (match && match[0].length > 0) {
        pieces.push(text.slice(start, i));
        start = i + match[0].length;
        i = start - 1;
      }
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** "Name (Aff A) (Aff B)" → name and the contents of its top-level parenthesised groups. */
function splitTrailingGroups(piece: string): { name: string; groups: string[] } {
  const groups: string[] = [];
  let depth = 0;
  let name = '';
  let current = '';
  for (const char of piece) {
    if (char === '(') {
      if (depth > 0) current += char;
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) {
        groups.push(current.trim());
        current = '';
      } else current += char;
    } else if (depth > 0) current += char;
    else if (groups.length === 0) name += char;
  }
  if (depth > 0 && current.trim() !== '') groups.push(current.trim());
  return { name: name.trim(), groups };
}

/** "(1) Argonne National Laboratory, (2) Michigan State University" → {1: …, 2: …}. */
function parseAffiliationLegend(group: string): Map<string, string> | null {
  if (!/^\(\s*\d+\s*\)/.test(group)) return null;
  const legend = new Map<string, string>();
  const parts = group.split(/\(\s*(\d+)\s*\)/);
  for (let i = 1; i < parts.length; i += 2) {
    const affiliation = parts[i + 1]!.trim().replace(/[,;]\s*$/, '').trim();
    if (affiliation) legend.set(parts[i]!, affiliation);
  }
  return legend;
}

/**
 * Splits an author list as one string ("A. Author, B. Author and C. Author", arXivRaw's `<authors>`,
 * the feeds' `dc:creator`) into authors in order. Affiliations in parentheses are kept, including
 * arXiv's numbered form "A. Author (1), B. Author (1 and 2) ((1) Univ X, (2) Univ Y)"; "Jr." and
 * similar suffixes stay with the preceding name. Whitespace inside names is collapsed.
 */
export function splitAuthorList(raw: string): PaperAuthor[] {
  const textValue = collapseWhitespace(raw);
  if (textValue === '') return [];
  const pieces = splitOutsideBrackets(textValue, /\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*|\s+&\s+/).map((p) => p.trim()).filter(Boolean);
  const authors: Array<{ name: string; affiliations: string[]; refs: string[] }> = [];
  const legend = new Map<string, string>();
  for (const piece of pieces) {
    if (NAME_SUFFIX.test(piece) && authors.length > 0) {
      authors[authors.length - 1]!.name += `, ${piece}`;
      continue;
    }
    const { name, groups } = splitTrailingGroups(piece);
    const affiliations: string[] = [];
    const refs: string[] = [];
    for (const group of groups) {
      const entries = parseAffiliationLegend(group);
      if (entries) for (const [key, value] of entries) legend.set(key, value);
      else if (NUMBERED_REFS.test(group)) refs.push(...(group.match(/\d+/g) ?? []));
      else if (group) affiliations.push(group);
    }
    if (name) authors.push({ name, affiliations, refs });
    else if (authors.length > 0) authors[authors.length - 1]!.affiliations.push(...affiliations);
  }
  return authors.map(({ name, affiliations, refs }) => ({
    name,
    affiliations: uniqueInOrder([...affiliations, ...refs.flatMap((ref) => legend.get(ref) ?? [])]),
  }));
}

