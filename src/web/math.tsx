import { raw } from 'hono/html';
import katex from 'katex';

/**
 * arXiv titles and abstracts carry inline TeX between dollar signs ("SP$^3$", "$\mathbb{R}^{12}$").
 * It is typeset on the server by KaTeX as MathML, which browsers lay out natively: KaTeX's HTML
 * output positions every glyph with inline style attributes, which the strict CSP (style-src 'self')
 * refuses, and it needs its own fonts; MathML needs neither, and keeps the TeX as an annotation for
 * copying and screen readers. TeX that KaTeX cannot typeset is shown as written, between its dollars.
 */
export type MathPart = { kind: 'text'; text: string } | { kind: 'math'; tex: string };

/**
 * `$…$` as math in the way TeX authors write it and prices are not: the opening dollar is followed by
 * a non-space, the closing one preceded by a non-space and not followed by a digit ("$5 to $10" is
 * text); `\$` is a literal dollar; `$$…$$` is display math, shown inline here.
 */
const MATH = /(?<!\\)\$\$(?=\S)([^$]+?)(?<=\S)\$\$|(?<![\\$])\$(?=[^\s$])((?:\\\$|[^$])+?)(?<=[^\s\\])\$(?!\d)/g;

export function splitMath(text: string): MathPart[] {
  const parts: MathPart[] = [];
  let last = 0;
  for (const match of text.matchAll(MATH)) {
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    parts.push({ kind: 'math', tex: (match[1] ?? match[2])! });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * Commands that would link, embed, style or colour: KaTeX refuses the first ones unless trusted (and
 * then prints them in red), colours would ignore the reader's theme. Such TeX is shown as written.
 */
const REFUSED = /\\(?:href|url|html[A-Za-z]*|includegraphics|color|textcolor|colorbox|fcolorbox)\b/;
const rendered = new Map<string, string | null>();
const MAX_CACHED = 5000;

/** MathML markup for `tex`, or null when it is not TeX KaTeX can typeset. Every text node is escaped by KaTeX. */
export function texToMathml(tex: string): string | null {
  const known = rendered.get(tex);
  if (known !== undefined) return known;
  let html: string | null = null;
  if (!REFUSED.test(tex) && tex.length <= 500) {
    try {
      html = katex.renderToString(tex, { output: 'mathml', throwOnError: true, trust: false, strict: 'ignore', maxExpand: 100, maxSize: 5 });
    } catch {
      html = null;
    }
  }
  // A cache, because the same titles are rendered on every page that lists them; bounded, oldest out.
  if (rendered.size >= MAX_CACHED) rendered.delete(rendered.keys().next().value!);
  rendered.set(tex, html);
  return html;
}

/** Text with its inline TeX typeset; every other character goes through JSX escaping. */
export function MathText({ text }: { text: string }) {
  return (
    <>
      {splitMath(text).map((part) => {
        if (part.kind === 'text') return part.text.replaceAll('\\$', '$');
        const mathml = texToMathml(part.tex);
        return mathml === null ? <span class="tex">${part.tex}$</span> : raw(mathml);
      })}
    </>
  );
}

/** The title as plain text (document title, feeds' summaries): TeX kept, dollars gone. */
export function plainMath(text: string): string {
  return splitMath(text)
    .map((part) => (part.kind === 'text' ? part.text : part.tex))
    .join('');
}
