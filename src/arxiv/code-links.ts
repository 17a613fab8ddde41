import type { CodeLink } from '../domain/paper.ts';

// Hosts where a link is a code or model repository in itself.
const CODE_HOSTS = /^(?:www\.)?(github\.com|gitlab\.com|huggingface\.co|bitbucket\.org|codeberg\.org)$/i;
const PROJECT_PAGE_HOST = /\.github\.io$|\.gitlab\.io$/i;
// "Code: https://…", "Project page: https://…", "code is available at https://…".
const CUE_BEFORE_URL = /(code|project page|project website|repository|implementation|available at)\W{0,20}$/i;

const URL_PATTERN = /https?:\/\/[^\s<>"'`)\]}]+/g;

function cleanUrl(url: string): string {
  // Sentence punctuation that the author put right after the link is not part of it.
  return url.replace(/[.,;:!?]+$/, '');
}

function isCodeUrl(url: URL, textBefore: string): boolean {
  if (CODE_HOSTS.test(url.hostname)) return url.pathname.split('/').filter(Boolean).length >= 1;
  if (PROJECT_PAGE_HOST.test(url.hostname)) return true;
  return CUE_BEFORE_URL.test(textBefore);
}

/** Finds links to code, models or project pages in a paper's comment and abstract, comment first. */
export function detectCodeLinks(comment: string | null, abstract: string): CodeLink[] {
  const links: CodeLink[] = [];
  const seen = new Set<string>();
  const fields: Array<[CodeLink['foundIn'], string]> = [
    ['comment', comment ?? ''],
    ['abstract', abstract],
  ];
  for (const [foundIn, text] of fields) {
    for (const match of text.matchAll(URL_PATTERN)) {
      const raw = cleanUrl(match[0]);
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        continue;
      }
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      if (!isCodeUrl(url, before)) continue;
      const key = raw.toLowerCase().replace(/\/$/, '');
      if (seen.has(key)) continue;
      seen.add(key);
      links.push({ url: raw, foundIn });
    }
  }
  return links;
}
