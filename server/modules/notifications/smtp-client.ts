import net from 'node:net';
import tls from 'node:tls';
import type { TSmtpSettings } from './smtp-settings.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** RFC 2047 encoded-word for non-ASCII headers (subjects in Russian). */
const encodeHeader = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);

/** RFC 5321 §4.5.2: a line starting with a dot gets another dot; bare LFs become CRLF. */
const dotStuff = (body: string) => body.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');

const ADDRESS = /^[^\s<>@]+@[^\s<>@]+$/;

/**
 * A minimal SMTP client (RFC 5321, AUTH PLAIN RFC 4616, STARTTLS RFC 3207) on node's net/tls: no mail package is
 * installed and the project adds none. One message per connection; every reply code is checked, and a refusal
 * rejects with the server's text (never with the credentials).
 */
export async function sendMail(settings: TSmtpSettings, message: MailMessage, opts: { timeoutMs?: number; heloName?: string } = {}): Promise<void> {
  if (!ADDRESS.test(message.to)) throw new Error(`not an e-mail address: ${message.to}`);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  let socket: net.Socket = settings.secure
    ? tls.connect({ host: settings.host, port: settings.port, servername: settings.host, rejectUnauthorized: settings.rejectUnauthorized })
    : net.connect({ host: settings.host, port: settings.port });
  socket.setTimeout(timeoutMs);

  let buffer = '';
  let waiting: { resolve: (reply: { code: number; text: string }) => void; reject: (err: Error) => void } | null = null;
  let failure: Error | null = null;
  const attach = (s: net.Socket) => {
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buffer += chunk;
      // A reply is complete at a line "NNN text" (a space, not a dash, after the code).
      const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(buffer);
      if (m && waiting) {
        const text = buffer;
        buffer = '';
        const w = waiting;
        waiting = null;
        w.resolve({ code: Number(m[1]), text: text.trim() });
      }
    });
    s.on('timeout', () => s.destroy(new Error('SMTP server timed out')));
    s.on('error', (err) => {
      failure = err;
      waiting?.reject(err);
      waiting = null;
    });
  };
  attach(socket);
  const reply = () =>
    new Promise<{ code: number; text: string }>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting = { resolve, reject };
    });
  const expect = async (codes: number[], what: string) => {
    const r = await reply();
    if (!codes.includes(r.code)) throw new Error(`SMTP ${what}: ${r.text.slice(0, 300)}`);
    return r;
  };
  const command = async (line: string, codes: number[], what = line.split(' ')[0]!) => {
    const pending = expect(codes, what);
    socket.write(`${line}\r\n`);
    return pending;
  };

  try {
    await expect([220], 'greeting');
    const helo = opts.heloName ?? 'dealerhub.local';
    let ehlo = await command(`EHLO ${helo}`, [250]);
    if (!settings.secure && settings.starttls) {
      await command('STARTTLS', [220]);
      socket.removeAllListeners('data');
      socket = tls.connect({ socket, servername: settings.host, rejectUnauthorized: settings.rejectUnauthorized });
      attach(socket);
      await new Promise<void>((resolve, reject) => (socket as tls.TLSSocket).once('secureConnect', resolve).once('error', reject));
      ehlo = await command(`EHLO ${helo}`, [250]);
    }
    if (settings.user) {
      if (!/AUTH[ =][^\r\n]*PLAIN/i.test(ehlo.text)) throw new Error('SMTP server offers no AUTH PLAIN');
      const token = Buffer.from(`\0${settings.user}\0${settings.password ?? ''}`, 'utf8').toString('base64');
      await command(`AUTH PLAIN ${token}`, [235], 'AUTH');
    }
    await command(`MAIL FROM:<${settings.from}>`, [250]);
    await command(`RCPT TO:<${message.to}>`, [250, 251]);
    await command('DATA', [354]);
    const headers = [
      `From: ${settings.from}`,
      `To: ${message.to}`,
      `Subject: ${encodeHeader(message.subject.replace(/[\r\n]+/g, ' '))}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: 8bit',
    ];
    await command(`${headers.join('\r\n')}\r\n\r\n${dotStuff(message.text)}\r\n.`, [250], 'message');
    await command('QUIT', [221]).catch(() => undefined);
  } finally {
    socket.destroy();
  }
}
