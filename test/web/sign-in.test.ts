import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { hashSecret } from '../../src/domain/secrets.ts';
import { startPreparedServer } from '../helpers/server.ts';

/**
 * Sign-in by email against a real SMTP server on loopback (smtp-server receiving, mailparser reading
 * the message as delivered): one-time links, sessions, CSRF, the per-address limit, SMTP refusals.
 */
const PUBLIC_URL = 'https://papers.example.org';
const received: ParsedMail[] = [];
let smtp: SMTPServer;
let prepared: Awaited<ReturnType<typeof startPreparedServer>>;
let base: string;

before(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused@')) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        received.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  prepared = await startPreparedServer(2, { PAPERSIFT_AUTH: 'email', SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'papersift <digest@papers.example.org>', PAPERSIFT_PUBLIC_URL: PUBLIC_URL });
  base = prepared.server.url;
});
after(async () => {
  await prepared?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** A browser of one: keeps cookies, reads a page's CSRF field. */
function browser() {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value === '' || /Max-Age=0/i.test(line)) jar.delete(name!);
      else jar.set(name!, value!);
    }
    return response;
  };
  return {
    jar,
    get: async (path: string) => remember(await fetch(base + path, { headers: { Cookie: cookieHeader() }, redirect: 'manual' })),
    post: async (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
      remember(await fetch(base + path, { method: 'POST', body: new URLSearchParams(fields), headers: { Cookie: cookieHeader(), ...headers }, redirect: 'manual' })),
    csrf: async (path: string) => {
      const html = await (await remember(await fetch(base + path, { headers: { Cookie: cookieHeader() } }))).text();
      return /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    },
  };
}

const linkOf = (mail: ParsedMail) => new URL(/https:\/\/\S+\/sign-in\/confirm\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')![0]);

test('a one-time link by email signs a reader in; the link works once; the session reaches /me; sign-out ends it', async () => {
  const ada = browser();
  const sent = await ada.post('/sign-in', { email: 'Ada@Example.org', csrf: await ada.csrf('/sign-in') });
  assert.equal(sent.status, 200);
  assert.match(await sent.text(), /Check your mail/);
  const mail = received.at(-1)!;
  assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : '', 'ada@example.org');
  assert.equal(mail.from?.value[0]!.address, 'digest@papers.example.org');
  assert.match(mail.subject ?? '', /sign-in link/);
  const link = linkOf(mail);
  assert.equal(link.origin, PUBLIC_URL, 'the link names the configured address, not the request Host');
  assert.ok(mail.html && String(mail.html).includes(link.href.replaceAll('&', '&amp;')), 'an HTML part with the same link');
  const token = link.searchParams.get('token')!;
  const rows = await prepared.ctx.store.db.selectFrom('reader_tokens').selectAll().execute();
  assert.ok(rows.every((row) => !JSON.stringify(row).includes(token)), 'only the hash is stored');

  // Opening the link (a GET, as mail scanners do) uses nothing.
  const confirm = await ada.get(`/sign-in/confirm?token=${token}`);
  assert.equal(confirm.status, 200);
  assert.ok(await prepared.ctx.store.readers.readerByToken(hashSecret(token), 'sign-in'), 'still unused after the GET');
  const csrf = await ada.csrf(`/sign-in/confirm?token=${token}`);
  const signedIn = await ada.post('/sign-in/confirm', { csrf, token });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.headers.get('Location'), '/me');
  const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('papersift_session='))!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.match(cookie, /Secure/i);
  const me = await ada.get('/me');
  assert.equal(me.status, 200);
  assert.match(await me.text(), /ada@example\.org/);

  // The same link again: refused, and no second session.
  const other = browser();
  const reused = await other.post('/sign-in/confirm', { csrf: await other.csrf(`/sign-in/confirm?token=${token}`), token });
  assert.equal(reused.status, 400);
  assert.equal((await other.get('/me')).status, 303);

  // A card's Save button: the session's reader; without a session, sign in first and nothing is stored.
  const paper = (await prepared.ctx.store.db.selectFrom('papers').select('id').limit(1).executeTakeFirstOrThrow()).id;
  const adaId = (await prepared.ctx.store.readers.find('ada@example.org'))!.id;
  assert.equal((await ada.post('/me/feedback', { paper, signal: 'save' }, { Origin: base })).status, 303);
  assert.deepEqual((await prepared.ctx.store.readers.feedback(adaId)).map((f) => f.paperId), [paper]);
  const anonymous = await browser().post('/me/feedback', { paper, signal: 'not-interested' }, { Origin: base });
  assert.equal(anonymous.headers.get('Location'), '/sign-in');
  assert.equal((await prepared.ctx.store.readers.feedback(adaId))[0]!.signal, 'save');

  const out = await ada.post('/sign-out', { csrf: await ada.csrf('/me') });
  assert.equal(out.status, 303);
  assert.equal((await ada.get('/me')).status, 303, 'signed out');
});

test('an expired link is refused', async () => {
  const { reader } = await prepared.ctx.store.readers.ensure('late@example.org');
  const token = 'psl_' + 'B'.repeat(43);
  await prepared.ctx.store.readers.storeToken(reader.id, 'sign-in', hashSecret(token), new Date(Date.now() - 1000).toISOString());
  const late = browser();
  const response = await late.post('/sign-in/confirm', { csrf: await late.csrf(`/sign-in/confirm?token=${token}`), token });
  assert.equal(response.status, 400);
  assert.match(await response.text(), /older than 15 minutes/);
});

test('forms without the CSRF token, with another token or from another site are refused and send nothing', async () => {
  const mallory = browser();
  const csrf = await mallory.csrf('/sign-in');
  const before = received.length;
  assert.equal((await mallory.post('/sign-in', { email: 'victim@example.org' })).status, 400);
  assert.equal((await mallory.post('/sign-in', { email: 'victim@example.org', csrf: 'x'.repeat(43) })).status, 400);
  assert.equal((await mallory.post('/sign-in', { email: 'victim@example.org', csrf }, { Origin: 'https://evil.example' })).status, 400);
  assert.equal((await browser().post('/sign-in', { email: 'victim@example.org', csrf })).status, 400, 'a token without its cookie');
  assert.equal(received.length, before);
  assert.equal((await mallory.post('/sign-in', { email: 'not an address', csrf })).status, 400);
});

test('sign-in links per address are limited; an SMTP refusal is a clear 503 and spends no session', async () => {
  const bob = browser();
  const before = received.length;
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await bob.post('/sign-in', { email: 'bob@example.org', csrf: await bob.csrf('/sign-in') })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  assert.equal(received.length - before, 3);
  const refused = await bob.post('/sign-in', { email: 'refused@example.org', csrf: await bob.csrf('/sign-in') });
  assert.equal(refused.status, 503);
  assert.match(await refused.text(), /could not be sent/);
});
