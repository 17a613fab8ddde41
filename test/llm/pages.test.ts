/** The digest and the paper page say which engine wrote each summary: engine, model and date. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scoreStep, selectStep } from '../../src/pipeline/run-pass.ts';
import { startWebServer } from '../../src/web/server.ts';
import { createLlmTest, goodAnswer, MODELS } from './kit.ts';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** What a reader sees: tags dropped, entities decoded, whitespace collapsed. */
const text = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, ' ');

test('LLM summaries and offline fallbacks are named on the digest and on the paper page', async () => {
  let calls = 0;
  // The first paper's answers invent a number (so it falls back); the others are good.
  const t = await createLlmTest('anthropic', {
    handler: async (request) => {
      calls++;
      const good = JSON.parse(await goodAnswer(request)) as { tldr: string };
      if (request.paper === `${t.papers[0]!.record.id}v1`) good.tldr = 'It is 12.5% better.';
      return { answer: JSON.stringify(good) };
    },
  });
  const server = await startWebServer(t.ctx, { port: 0, host: '127.0.0.1' });
  try {
    assert.deepEqual(await t.run(), { summarized: 2, fallback: 1, skipped: 0, failed: 0 });
    assert.equal(calls, 4);
    // Selection ranks scored papers only, as a pass does: score, then select.
    await scoreStep(t.ctx);
    await selectStep(t.ctx);
    const rows = await t.ctx.store.db.selectFrom('summaries').select(['paper_id', 'created_at']).execute();
    const day = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(rows[0]!.created_at));
    const llmLine = `Summary by anthropic (${MODELS.anthropic}), ${day}. Written by a language model`;
    const fallbackLine = `Summary by papersift offline extractive summariser (extractive-v1), ${day} — fallback after the configured engine failed. Sentences are taken from the paper's abstract.`;

    const [fallen, ...written] = t.papers;
    for (const paper of written) {
      const html = await (await fetch(`${server.url}/papers/${paper.record.id}`)).text();
      const page = text(html);
      assert.ok(page.includes(llmLine), `paper page of ${paper.record.id} names the model`);
      // The tags of the card, each linking to the papers with that tag.
      assert.match(html, /<ul class="tags" aria-label="Topics">\s*<li>\s*<a class="tag" href="\/search\?tag=generative-models">Generative Models<\/a>/, `paper page of ${paper.record.id} shows its tags`);
      // The provenance says what the model was given: the comment is sent when there is one.
      const inputs = paper.record.comment?.trim()
        ? "from the paper's title, abstract, author comment and arXiv categories;"
        : "from the paper's title, abstract and arXiv categories (it has no author comment);";
      assert.ok(page.includes(`Written by a language model (anthropic ${MODELS.anthropic}) ${inputs}`), `provenance of ${paper.record.id}: ${/Written by[^;]*;/.exec(page)?.[0]}`);
      assert.ok(!page.includes('from the title and abstract'), 'the provenance does not leave the comment out');
      assert.ok(!page.includes('Sentences are taken from'), 'an LLM summary does not claim to be extractive');
    }
    const fallbackPage = text(await (await fetch(`${server.url}/papers/${fallen!.record.id}`)).text());
    assert.ok(fallbackPage.includes(fallbackLine), `the fallback says so: ${/Summary by[^.]*\.[^.]*\./.exec(fallbackPage)?.[0]}`);

    const digestDay = t.papers[0]!.announcedOn;
    const digest = text(await (await fetch(`${server.url}/digest/${digestDay}`)).text());
    const onDigest = t.papers.filter((paper) => paper.announcedOn === digestDay && digest.includes(paper.record.title.replace(/\s+/g, ' ')));
    assert.ok(onDigest.length >= 1, 'the papers are on their day’s digest');
    assert.equal(digest.split('Summary by anthropic').length - 1, onDigest.filter((p) => p !== fallen).length);
    assert.equal(digest.split('fallback after the configured engine failed').length - 1, onDigest.includes(fallen!) ? 1 : 0);
  } finally {
    await server.close();
    await t.close();
  }
});
