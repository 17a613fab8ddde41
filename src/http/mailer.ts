import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

export class MailError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailError';
  }
}

/**
 * Mail over SMTP (nodemailer): smtp:// upgrades with STARTTLS when the server offers it, smtps:// is
 * TLS from the start. Bounded waits, so a silent server fails the send instead of holding a request.
 * The error names the server without its credentials.
 */
export function createMailer(options: { smtpUrl: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout } as SMTPTransport.Options);
  const server = (() => {
    const url = new URL(options.smtpUrl);
    return `${url.protocol}//${url.host}`;
  })();
  return {
    async send(mail) {
      try {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers });
      } catch (error) {
        throw new MailError(`mail to ${mail.to} through ${server} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
    close: () => transport.close(),
  };
}
