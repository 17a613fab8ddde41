/**
 * Display forms of arXiv text. arXiv titles and abstracts are TeX-flavoured plain text with hard line
 * breaks; the raw form is stored as well, so nothing is lost by normalising here.
 */
import { collapseWhitespace } from '../domain/whitespace.ts';

// Symbols that appear in ML abstracts often enough to be worth showing as Unicode.
const TEX_SYMBOLS: Record<string, string> = {
  times: '×', cdot: '·', pm: '±', approx: '≈', sim: '~', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠',
  infty: '∞', rightarrow: '→', to: '→', leftarrow: '←', Rightarrow: '⇒', in: '∈', sqrt: '√', ldots: '…',
  dots: '…', cdots: '⋯', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε',
  eta: 'η', theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ',
  phi: 'φ', psi: 'ψ', omega: 'ω', Delta: 'Δ', Theta: 'Θ', Omega: 'Ω', Sigma: 'Σ', ell: 'ℓ', log: 'log',
  mathcal: '', mathbf: '', mathrm: '', text: '', textbf: '', textit: '', emph: '', mathbb: '',
};

const ACCENTED: Record<string, Record<string, string>> = {
  "'": { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', c: 'ć', n: 'ń', s: 'ś', z: 'ź', E: 'É', A: 'Á', O: 'Ó' },
  '`': { a: 'à', e: 'è', i: 'ì', o: 'ò', u: 'ù', E: 'È', A: 'À' },
  '"': { a: 'ä', e: 'ë', i: 'ï', o: 'ö', u: 'ü', A: 'Ä', O: 'Ö', U: 'Ü' },
  '^': { a: 'â', e: 'ê', i: 'î', o: 'ô', u: 'û' },
  '~': { a: 'ã', n: 'ñ', o: 'õ', N: 'Ñ' },
  c: { c: 'ç', C: 'Ç', s: 'ş' },
  v: { c: 'č', s: 'š', z: 'ž', r: 'ř', e: 'ě', C: 'Č', S: 'Š', Z: 'Ž' },
};

function replaceTexCommands(math: string): string {
  return math
    .replace(/\\([A-Za-z]+)/g, (whole, name: string) => TEX_SYMBOLS[name] ?? whole)
    .replace(/\\([%&#_$])/g, '$1')
    .replace(/[{}]/g, '');
}

/**
 * The display form of a title or abstract: whitespace collapsed, TeX accents turned into letters,
 * simple inline math ($4\times$, $\alpha$) into Unicode. Math too complex to show cleanly keeps its
 * dollar signs so a later renderer can typeset it.
 */
export function toDisplayText(raw: string): string {
  // Most titles and many abstracts have no TeX at all: skip straight to the whitespace.
  if (!/[\\$~]|--/.test(raw)) return collapseWhitespace(raw);
  let text = raw.replace(/\{?\\(['`"^~cv])\{?\s*([A-Za-z])\}?\}?/g, (whole, accent: string, letter: string) => {
    return ACCENTED[accent]?.[letter] ?? whole;
  });
  text = text.replace(/\$([^$]{1,80})\$/g, (whole, math: string) => {
    const replaced = replaceTexCommands(collapseWhitespace(math));
    // Keep the TeX when something structural remains (fractions, sub- and superscripts, unknown
    // macros): the web pages typeset it (src/web/math.tsx), where "SP^3" would be only half clean.
    return /[\\_^]/.test(replaced) ? whole : replaced;
  });
  text = text.replace(/\\(textbf|textit|emph|texttt)\{([^{}]*)\}/g, '$2');
  // Escaped specials outside math: "32.8\% mAP", "R\&D".
  text = text.replace(/\\([%&#_])/g, '$1');
  text = text.replace(/(^|[^\\])~/g, '$1 ').replace(/---/g, '—').replace(/(\s)--(\s)/g, '$1–$2');
  return collapseWhitespace(text);
}
