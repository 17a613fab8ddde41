/**
 * Well-formedness errors of the XML reader, with the line they were found on and the wording these
 * parsers have always reported (from the validator used before saxes): saxes's own messages are
 * translated here, and a document that ends too early says which elements were still open.
 */

/** What these messages need to know of an element the reader had open: its name as written and the offset just past its start tag. */
export interface OpenedElement {
  qname: string;
  end: number;
}

/** A well-formedness problem, with the 1-based line it was found on. */
export class XmlSyntaxError extends Error {
  constructor(readonly detail: string, readonly line: number, readonly unclosed: readonly string[] | null = null) {
    super(detail);
  }
}

/** 1-based line and column of `index` in `text`, lines counted by "\n" (as these errors always have been). */
export function lineAndColumn(text: string, index: number): { line: number; col: number } {
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

export function describeSyntaxError(xml: string, error: XmlSyntaxError): { line: number; detail: string } {
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

/** Line (counted by "\n") of the character before `position`. */
function lineBefore(text: string, position: number): number {
  return lineAndColumn(text, Math.max(0, position - 1)).line;
}

/**
 * A saxes well-formedness error as an XmlSyntaxError, with the wording these parsers reported before
 * (from the validator used before saxes) for the problems both find: mismatched tags, stray text, …
 */
export function syntaxError(text: string, message: string, position: number, lastClosed: OpenedElement | undefined, afterRoot: boolean): XmlSyntaxError {
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
export function unclosedAtEnd(text: string, stack: readonly OpenedElement[]): XmlSyntaxError {
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
