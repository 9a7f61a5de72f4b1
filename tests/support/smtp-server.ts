import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  /** The Subject header, RFC 2047 B-encoded words decoded. */
  subject: string;
  /** Headers and body as sent (dot-stuffing kept). */
  raw: string;
}

const decodeWords = (s: string) => s.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8')).replace(/\s+/g, ' ');

/** A loopback SMTP server speaking RFC 5321 as far as the client needs it; records what it was sent. */
export function smtpServer(opts: { rejectRcpt?: boolean } = {}) {
  const seen: string[] = [];
  const mails: ReceivedMail[] = [];
  let data = '';
  const server = net.createServer((s) => {
    let inData = false;
    let buf = '';
    let to: string[] = [];
    let raw = '';
    s.write('220 test ESMTP\r\n');
    s.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            // A folded Subject continues on lines starting with white space.
            const subject = /^Subject: (.*(?:\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
            mails.push({ to, subject: decodeWords(subject), raw });
            to = [];
            raw = '';
            s.write('250 queued\r\n');
          } else {
            data += `${line}\n`;
            raw += `${line}\n`;
          }
          continue;
        }
        seen.push(line);
        if (line.startsWith('EHLO')) s.write('250-test\r\n250 AUTH PLAIN\r\n');
        else if (line.startsWith('AUTH PLAIN')) s.write('235 ok\r\n');
        else if (line.startsWith('MAIL FROM')) s.write('250 ok\r\n');
        else if (line.startsWith('RCPT TO')) {
          if (!opts.rejectRcpt) to.push(line.replace(/^RCPT TO:<(.*)>.*$/, '$1'));
          s.write(opts.rejectRcpt ? '550 no such user\r\n' : '250 ok\r\n');
        } else if (line === 'DATA') {
          inData = true;
          s.write('354 go\r\n');
        } else if (line === 'QUIT') s.end('221 bye\r\n');
      }
    });
  });
  return {
    server,
    seen,
    data: () => data,
    /** Every message accepted so far, in order. */
    mails: () => [...mails],
    /** Listens on a free loopback port; returns it. */
    async listen(): Promise<number> {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return (server.address() as AddressInfo).port;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
