/**
 * Reads arXiv's XML (the API's Atom feed, the rss.arxiv.org feeds and OAI-PMH) with saxes into plain
 * objects, refusing anything that is not well-formed as a whole, so truncated or broken input never
 * yields partial data. Pure: a string in, a tree (or ArxivFormatError) out.
 */
import { SaxesParser } from 'saxes';
import { isXmlChar, withoutForbiddenCharacters } from '../../domain/forbidden-characters.ts';
import { ArxivFormatError, type ArxivSource } from '../errors.ts';
import { describeSyntaxError, lineAndColumn, syntaxError, unclosedAtEnd, XmlSyntaxError } from './syntax-errors.ts';

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
 * of schema.ts trim the whole value), repeated elements as arrays, and always so per `isArrayTag`.
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
