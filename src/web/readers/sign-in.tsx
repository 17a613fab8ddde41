import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { hashSecret, looksLikeSecret, newSecret } from '../../domain/secrets.ts';
import { createMailer, MailError, type Mailer } from '../../http/mailer.ts';
import type { AppContext } from '../../pipeline/context.ts';
import type { Reader } from '../../store/repositories/readers.ts';
import type { Store } from '../../store/store.ts';
import { Layout } from '../layout.tsx';
import { sendPage } from '../responses.ts';
import { csrfToken, csrfValid, secureRequest } from './csrf.ts';

export const SESSION_COOKIE = 'papersift_session';
export const SIGN_IN_LINK_MINUTES = 15;
const SESSION_DAYS = 30;
/** Sign-in links per address in a window of SIGN_IN_LINK_MINUTES (the rest are refused: mail bombing). */
export const SIGN_IN_LINKS_PER_ADDRESS = 3;

/** The reader of a live session cookie, or null. */
export async function sessionReader(c: Context, store: Pick<Store, 'readers'>): Promise<Reader | null> {
  const session = getCookie(c, SESSION_COOKIE);
  return session && looksLikeSecret(session, 'session') ? store.readers.readerByToken(hashSecret(session), 'session') : null;
}

/** The reader of a page or a form: the owner in owner mode, the session's in email mode (null: sign in first). */
export async function pageReader(c: Context, store: Pick<Store, 'readers'>, mode: 'owner' | 'email'): Promise<Reader | null> {
  return mode === 'owner' ? store.readers.ensureOwner() : sessionReader(c, store);
}

function Page({ title, children }: { title: string; children: unknown }) {
  return (
    <Layout title={`${title} — papersift`} description="Sign in to your own digest.">
      <section class="hero">
        <h1>{title}</h1>
        {children}
      </section>
    </Layout>
  );
}

const emailField = z.email().max(254);

/**
 * Sign-in by email (PAPERSIFT_AUTH=email): a one-time link, valid SIGN_IN_LINK_MINUTES, stored hashed.
 * The link opens a page whose button (a POST) uses it, since mail scanners open links: a GET never
 * signs in or changes anything. A session is a cookie (HttpOnly, SameSite=Lax, Secure over HTTPS)
 * whose hash is stored. Every form carries a CSRF token.
 */
export function createSignIn(ctx: AppContext, options: { mailer?: Mailer } = {}): Hono {
  const app = new Hono();
  const { publicUrl } = ctx.config;
  const mailer = options.mailer ?? (ctx.config.mail ? createMailer(ctx.config.mail) : null);
  const noStore = (c: Context) => c.header('Cache-Control', 'private, no-store');

  app.get('/sign-in', (c) => {
    noStore(c);
    if (ctx.config.auth !== 'email') return sendPage(c, <Page title="No sign-in needed">This papersift has one reader, its owner: <a href="/me">your digest</a>.</Page>);
    if (!mailer) return sendPage(c, <Page title="Sign-in by email is off">This papersift sends no mail (SMTP_URL is not set): readers use the API with the token of `papersift readers add`.</Page>, 503);
    return sendPage(
      c,
      <Page title="Sign in">
        <form method="post" action="/sign-in">
          <input type="hidden" name="csrf" value={csrfToken(c, publicUrl)} />
          <label for="email">Your email address</label> <input id="email" name="email" type="email" required autocomplete="email" />{' '}
          <button type="submit">Send me a sign-in link</button>
        </form>
      </Page>,
    );
  });

  app.post('/sign-in', async (c) => {
    noStore(c);
    if (ctx.config.auth !== 'email' || !mailer) return sendPage(c, <Page title="Sign-in by email is off">Nothing was sent.</Page>, 404);
    const form = await c.req.parseBody();
    if (!csrfValid(c, form.csrf, publicUrl)) return sendPage(c, <Page title="Try again">The form had expired or came from elsewhere: <a href="/sign-in">sign in</a> again.</Page>, 400);
    const email = emailField.safeParse(typeof form.email === 'string' ? form.email.trim() : '');
    if (!email.success) return sendPage(c, <Page title="Not an email address">Go back and check the address: <a href="/sign-in">sign in</a>.</Page>, 400);
    const { reader } = await ctx.store.readers.ensure(email.data);
    const since = new Date(Date.now() - SIGN_IN_LINK_MINUTES * 60_000);
    if ((await ctx.store.readers.tokensIssuedSince(reader.id, 'sign-in', since)) >= SIGN_IN_LINKS_PER_ADDRESS) {
      c.header('Retry-After', String(SIGN_IN_LINK_MINUTES * 60));
      return sendPage(c, <Page title="Links already sent">Several sign-in links went to this address just now: use the newest, or try again in {SIGN_IN_LINK_MINUTES} minutes.</Page>, 429);
    }
    const token = newSecret('sign-in');
    await ctx.store.readers.storeToken(reader.id, 'sign-in', hashSecret(token), new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60_000).toISOString());
    // publicUrl is required with SMTP_URL (config.ts): a link never follows the request's Host.
    const link = `${publicUrl}/sign-in/confirm?token=${token}`;
    try {
      await mailer.send({
        to: reader.email,
        subject: 'Your papersift sign-in link',
        text: `Sign in to papersift: ${link}\n\nThe link works once, for ${SIGN_IN_LINK_MINUTES} minutes. If you did not ask for it, ignore this mail.\n`,
        html: `<p><a href="${link}">Sign in to papersift</a></p><p>The link works once, for ${SIGN_IN_LINK_MINUTES} minutes. If you did not ask for it, ignore this mail.</p>`,
      });
    } catch (error) {
      if (!(error instanceof MailError)) throw error;
      ctx.logger.warn('sign-in mail failed', { error: error.message });
      return sendPage(c, <Page title="The mail could not be sent">Please try again in a few minutes.</Page>, 503);
    }
    return sendPage(c, <Page title="Check your mail">A sign-in link is on its way to {reader.email}. It works once, for {SIGN_IN_LINK_MINUTES} minutes.</Page>);
  });

  app.get('/sign-in/confirm', (c) => {
    noStore(c);
    const token = c.req.query('token') ?? '';
    if (!looksLikeSecret(token, 'sign-in')) return sendPage(c, <Page title="Not a sign-in link">Ask for a new one: <a href="/sign-in">sign in</a>.</Page>, 400);
    return sendPage(
      c,
      <Page title="Sign in">
        <form method="post" action="/sign-in/confirm">
          <input type="hidden" name="csrf" value={csrfToken(c, publicUrl)} />
          <input type="hidden" name="token" value={token} />
          <button type="submit">Sign in to papersift</button>
        </form>
      </Page>,
    );
  });

  app.post('/sign-in/confirm', async (c) => {
    noStore(c);
    const form = await c.req.parseBody();
    if (!csrfValid(c, form.csrf, publicUrl)) return sendPage(c, <Page title="Try again">The form had expired or came from elsewhere: open the link from your mail again.</Page>, 400);
    const token = typeof form.token === 'string' ? form.token : '';
    const reader = looksLikeSecret(token, 'sign-in') ? await ctx.store.readers.consumeSignIn(hashSecret(token)) : null;
    if (!reader) return sendPage(c, <Page title="This link does not work any more">It was used already, or is older than {SIGN_IN_LINK_MINUTES} minutes: <a href="/sign-in">ask for a new one</a>.</Page>, 400);
    const session = newSecret('session');
    await ctx.store.readers.storeToken(reader.id, 'session', hashSecret(session), new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString());
    setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secureRequest(c, publicUrl), maxAge: SESSION_DAYS * 86_400 });
    return c.redirect('/me', 303);
  });

  app.post('/sign-out', async (c) => {
    noStore(c);
    const form = await c.req.parseBody();
    if (!csrfValid(c, form.csrf, publicUrl)) return sendPage(c, <Page title="Try again">The form had expired or came from elsewhere.</Page>, 400);
    const session = getCookie(c, SESSION_COOKIE);
    if (session && looksLikeSecret(session, 'session')) await ctx.store.readers.revokeToken(hashSecret(session));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  return app;
}
