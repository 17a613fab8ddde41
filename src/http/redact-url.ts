/**
 * Makes a URL safe to put in error messages and logs: credentials in the authority and the values of
 * secret-bearing query parameters (API keys, tokens, contact e-mails sent as `mailto=`) become `REDACTED`.
 * Works on the raw string rather than re-serialising through URLSearchParams, so the rest of the query
 * (e.g. arXiv's `search_query=cat:cs.LG+AND+...`) stays exactly as the caller wrote it.
 */
const SECRET_PARAM = /^(?:api[_-]?key|key|token|access[_-]?token|auth|authorization|password|secret|client[_-]?secret|signature|sig|mailto|email)$/i;
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i;

const REDACTED = 'REDACTED';

export function redactUrl(url: string): string {
  const withoutUserinfo = url.replace(USERINFO, `$1${REDACTED}@`);
  const queryStart = withoutUserinfo.indexOf('?');
  if (queryStart === -1) return withoutUserinfo;
  const hashStart = withoutUserinfo.indexOf('#', queryStart);
  const queryEnd = hashStart === -1 ? withoutUserinfo.length : hashStart;
  const query = withoutUserinfo.slice(queryStart + 1, queryEnd)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      return isSecretParam(rawName) && equals !== -1 ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${withoutUserinfo.slice(0, queryStart + 1)}${query}${withoutUserinfo.slice(queryEnd)}`;
}

function isSecretParam(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is still compared as written.
  }
  return SECRET_PARAM.test(name.trim());
}
