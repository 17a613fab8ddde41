/**
 * Short display names of institutions ("uw", "deepmind", "cmu"): a mapping table for names people
 * abbreviate by habit, and a derivation rule for every other name. The full name is always kept
 * beside the short one (shown on hover).
 */

/** Keys are normalised names (see normalise); values the short name readers know. */
const SHORT_NAMES: Record<string, string> = {
  'university of washington': 'uw',
  'google deepmind': 'deepmind',
  deepmind: 'deepmind',
  'carnegie mellon university': 'cmu',
  'massachusetts institute of technology': 'mit',
  'stanford university': 'stanford',
  'university of california berkeley': 'berkeley',
  'uc berkeley': 'berkeley',
  'university of california los angeles': 'ucla',
  'university of california san diego': 'ucsd',
  'university of toronto': 'uoft',
  'new york university': 'nyu',
  'university of oxford': 'oxford',
  'university of cambridge': 'cambridge',
  'eth zurich': 'eth',
  'eth zürich': 'eth',
  'ecole polytechnique federale de lausanne': 'epfl',
  'microsoft research': 'msr',
  microsoft: 'microsoft',
  'google research': 'google',
  google: 'google',
  'meta ai': 'meta',
  'facebook ai research': 'meta',
  'meta platforms': 'meta',
  openai: 'openai',
  anthropic: 'anthropic',
  nvidia: 'nvidia',
  'allen institute for artificial intelligence': 'ai2',
  'allen institute for ai': 'ai2',
  mila: 'mila',
  'mila quebec artificial intelligence institute': 'mila',
  'tsinghua university': 'tsinghua',
  'peking university': 'pku',
  'shanghai jiao tong university': 'sjtu',
  'zhejiang university': 'zju',
  'fudan university': 'fudan',
  'national university of singapore': 'nus',
  'nanyang technological university': 'ntu',
  'university of illinois urbana champaign': 'uiuc',
  'georgia institute of technology': 'gatech',
  'university of tokyo': 'utokyo',
  'the university of tokyo': 'utokyo',
  'korea advanced institute of science and technology': 'kaist',
  'johns hopkins university': 'jhu',
  'university of science ho chi minh city': 'hcmus',
  'university of science vnu hcm': 'hcmus',
  'vietnam national university ho chi minh city': 'vnu-hcm',
};

const STOPWORDS = new Set(['of', 'the', 'and', 'for', 'at', 'in', 'de', 'di', 'du', 'des', 'la', 'le', 'und', 'fur']);
// Words that say what kind of body it is, not which one: "Stanford University" is "stanford".
const GENERIC = new Set([
  'university', 'universitat', 'universite', 'universidad', 'universita', 'institute', 'institut', 'college', 'school',
  'laboratory', 'laboratories', 'lab', 'labs', 'inc', 'ltd', 'llc', 'gmbh', 'corporation', 'corp', 'company', 'research',
  'center', 'centre', 'national', 'technology', 'sciences', 'science',
]);

function normalise(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The rule for names not in the table:
 * 1. an acronym the name itself gives in parentheses ("Korea Institute (KIST)") → "kist";
 * 2. otherwise, after dropping parentheses (OpenAlex adds countries: "Google (United States)") and
 *    small words, a name with exactly one distinctive word → that word ("University of Edinburgh" →
 *    "edinburgh", "Seattle University" → "seattle");
 * 3. otherwise the initials of its words ("Impact Technology Development" → "itd").
 */
export function shortInstitutionName(fullName: string): string {
  const mapped = SHORT_NAMES[normalise(fullName)] ?? SHORT_NAMES[normalise(fullName.split(',')[0] ?? '')];
  if (mapped) return mapped;
  const acronym = /\(([A-Z][A-Za-z&-]{1,7})\)/.exec(fullName);
  if (acronym && /[A-Z].*[A-Z]/.test(acronym[1]!)) return acronym[1]!.toLowerCase();
  const words = normalise(fullName).split(' ').filter((w) => w && !STOPWORDS.has(w));
  if (words.length === 0) return fullName.trim().toLowerCase();
  const distinctive = words.filter((w) => !GENERIC.has(w));
  if (distinctive.length === 1) return distinctive[0]!;
  if (words.length === 1) return words[0]!;
  return words.map((w) => w[0]).join('');
}

export interface Affiliation {
  name: string;
  short: string;
}

export function affiliation(name: string): Affiliation {
  return { name, short: shortInstitutionName(name) };
}
