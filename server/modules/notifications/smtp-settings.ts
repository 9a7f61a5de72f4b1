import { z } from 'zod';

/**
 * The e-mail channel's setting, parsed once by config (env `SMTP_URL`, e.g.
 * `smtps://user:pass@smtp.example.ru:465?from=noreply@example.ru` or `smtp://relay:25?from=…&starttls=1`).
 * Absent: e-mail is reported as "not configured", never faked.
 */
export const ZSmtpUrl = z
  .string()
  .url()
  .refine((u) => /^smtps?:$/.test(new URL(u).protocol), 'SMTP_URL must start with smtp:// or smtps://')
  .refine((u) => Boolean(new URL(u).searchParams.get('from')), 'SMTP_URL needs ?from=<sender address>')
  .transform((u) => {
    const url = new URL(u);
    return {
      secure: url.protocol === 'smtps:',
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
      user: url.username ? decodeURIComponent(url.username) : null,
      password: url.password ? decodeURIComponent(url.password) : null,
      from: url.searchParams.get('from')!,
      starttls: url.searchParams.get('starttls') === '1',
      /** For tests against a local server with a self-signed certificate. */
      rejectUnauthorized: url.searchParams.get('insecure') !== '1',
    };
  });
export type TSmtpSettings = z.infer<typeof ZSmtpUrl>;

/** null when the variable is empty: the e-mail channel is then off. */
export function parseSmtpUrl(value: string | undefined | null): TSmtpSettings | null {
  return value ? ZSmtpUrl.parse(value) : null;
}
