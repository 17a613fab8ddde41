import fs from 'node:fs';

/** One recorded HTTP exchange of a VCR-style YAML cassette (as the semanticscholar fixtures are). */
export interface RecordedExchange {
  method: string;
  uri: string;
  requestBody: string;
  status: number;
  body: string;
}

/**
 * Reads the few YAML shapes these cassettes use, without a YAML dependency: `method:`, `uri:`,
 * request `body: '…'`, and response `string: '…'` or `content: '…'` (single-quoted, folded over lines)
 * with `code:` / `status_code:`.
 */
export function readCassette(file: string): RecordedExchange[] {
  const text = fs.readFileSync(file, 'utf8');
  return text
    .split(/^- request:$/m)
    .slice(1)
    .map((chunk) => {
      const [request, response = ''] = chunk.split(/^ {2}response:$/m);
      return {
        method: /^ {4}method: (\S+)$/m.exec(request!)![1]!,
        uri: /^ {4}uri: (\S+)$/m.exec(request!)![1]!,
        requestBody: singleQuoted(request!, /^ {4}body: '/m) ?? '',
        status: Number(/^ {4,6}(?:code|status_code): (\d+)$/m.exec(response)?.[1] ?? 200),
        body: singleQuoted(response, /^ {4,6}(?:string|content): '/m) ?? '',
      };
    });
}

/** A YAML single-quoted scalar starting right after `opener`: '' is a quote, line breaks fold. */
function singleQuoted(text: string, opener: RegExp): string | null {
  const match = opener.exec(text);
  if (!match) return null;
  let i = match.index + match[0].length;
  let raw = '';
  for (; i < text.length; i += 1) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        raw += "'";
        i += 1;
        continue;
      }
      break;
    }
    raw += text[i];
  }
  const lines = raw.split('\n').map((line, n) => (n === 0 ? line.trimEnd() : line.trim()));
  let out = lines[0]!;
  let breaks = 0;
  for (const line of lines.slice(1)) {
    if (line === '') {
      breaks += 1;
      continue;
    }
    out += breaks > 0 ? '\n'.repeat(breaks) + line : ` ${line}`;
    breaks = 0;
  }
  return out + '\n'.repeat(breaks);
}
