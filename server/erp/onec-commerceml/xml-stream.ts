import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { XNode } from './xml-node.js';

/**
 * Streaming XML reading for ERP exchange files that can be hundreds of megabytes (CommerceML import/offers): bytes are
 * decoded chunk by chunk (windows-1251 or UTF-8, taken from the BOM or the XML declaration), fed to saxes, and every
 * element the caller calls a "record" is built as a small tree and handed over, then dropped. After each chunk the
 * caller's `flush` is awaited, so a slow sink pauses reading (backpressure) instead of buffering the file.
 */

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly fileName?: string,
  ) {
    super(`malformed XML at ${line}:${column}${fileName ? ` in ${fileName}` : ''}: ${message}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Well-formed XML whose content cannot be mapped (a price that is not a number…), with where it was. */
export class XmlDataError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly fileName?: string,
    options?: { cause?: unknown },
  ) {
    super(`${message} (line ${line}${fileName ? ` of ${fileName}` : ''})`, options);
    this.name = 'XmlDataError';
  }
}

export class XmlEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported encoding "${encoding}"`);
    this.name = 'XmlEncodingError';
  }
}

export class EmptyPayloadError extends Error {
  constructor(fileName?: string) {
    super(`empty file${fileName ? ` ${fileName}` : ''}`);
    this.name = 'EmptyPayloadError';
  }
}

const DECLARED = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** Encoding of an XML byte stream: BOM first, then the declaration, else UTF-8 (XML 1.0 §4.3.3, appendix F). */
export function detectXmlEncoding(head: Buffer): string {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const m = DECLARED.exec(head.subarray(0, 400).toString('latin1'));
  const declared = (m?.[1] ?? 'utf-8').toLowerCase();
  const name = declared === 'cp1251' || declared === 'win-1251' ? 'windows-1251' : declared;
  if (!iconv.encodingExists(name)) throw new XmlEncodingError(declared);
  return name;
}

export interface XmlRecordHandlers {
  /** Every opening tag outside a record (root attributes, СодержитТолькоИзменения on a package…). */
  onOpen?(path: readonly string[], attrs: Record<string, string>): void;
  /** Every closing tag outside a record. */
  onClose?(path: readonly string[]): void;
  /** True when the element at `path` (its own name last) is a record to build and hand over whole. */
  isRecord(path: readonly string[]): boolean;
  onRecord(path: readonly string[], node: XNode): void;
  /** Awaited after each decoded chunk; a sink that is slow keeps the file from being read further. */
  flush?(): Promise<void>;
}

export interface XmlStreamOptions {
  fileName?: string;
  /** Bytes read so far (for `progress` answers of long imports). */
  onBytes?(bytesRead: number): void;
  highWaterMark?: number;
}

export interface XmlStreamResult {
  encoding: string;
  rootName: string;
  rootAttrs: Record<string, string>;
  bytes: number;
}

const localName = (qname: string) => {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
};

function localAttrs(attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) out[k.startsWith('xmlns') ? k : localName(k)] = v;
  return out;
}

/** Streams `source` (a path or a byte stream) through the handlers; rejects with XmlSyntaxError/XmlDataError/XmlEncodingError. */
export async function streamXmlRecords(source: string | Readable, handlers: XmlRecordHandlers, options: XmlStreamOptions = {}): Promise<XmlStreamResult> {
  const fileName = options.fileName ?? (typeof source === 'string' ? source : undefined);
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: options.highWaterMark ?? 256 * 1024 }) : source;
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path: string[] = [];
  const capture: XNode[] = [];
  let captureDepth = 0;
  let rootName = '';
  let rootAttrs: Record<string, string> = {};
  let failure: Error | undefined;
  /** A record that could not be mapped; raised after the chunk, so a syntax error in the same chunk wins. */
  let dataError: Error | undefined;

  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; keep only its sentence, our error carries the position.
    const message = err.message.replace(/^(?:[^:]*:)?\d+:\d+:\s*/, '');
    throw new XmlSyntaxError(message, parser.line, parser.column + 1, fileName);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    path.push(name);
    if (path.length === 1) {
      rootName = name;
      rootAttrs = localAttrs(tag.attributes);
    }
    if (capture.length > 0) {
      const node: XNode = { name, attrs: localAttrs(tag.attributes), children: [], text: '' };
      (capture[capture.length - 1] as XNode).children.push(node);
      capture.push(node);
      return;
    }
    if (handlers.isRecord(path)) {
      capture.push({ name, attrs: localAttrs(tag.attributes), children: [], text: '' });
      captureDepth = path.length;
      return;
    }
    handlers.onOpen?.(path, localAttrs(tag.attributes));
  });
  const onText = (t: string) => {
    const top = capture[capture.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    if (capture.length > 0) {
      const node = capture.pop() as XNode;
      if (capture.length === 0 && path.length === captureDepth && !dataError) {
        try {
          handlers.onRecord(path, node);
        } catch (err) {
          dataError = err instanceof XmlDataError ? err : new XmlDataError(`${node.name}: ${(err as Error).message}`, parser.line, fileName, { cause: err });
        }
      }
    } else {
      handlers.onClose?.(path);
    }
    path.pop();
  });

  let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  let encoding = 'utf-8';
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let sawContent = false;

  const feed = (text: string) => {
    if (!sawContent && /\S/.test(text)) sawContent = true;
    if (text) parser.write(text);
    if (dataError) throw dataError;
  };

  try {
    for await (const raw of stream) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : (raw as Buffer);
      bytes += chunk.length;
      if (!decoder) {
        // The declaration must be seen whole before choosing a decoder.
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < 512) continue;
        const head = Buffer.concat(pending);
        pending = [];
        encoding = detectXmlEncoding(head);
        decoder = iconv.getDecoder(encoding);
        feed(decoder.write(head));
      } else {
        feed(decoder.write(chunk));
      }
      options.onBytes?.(bytes);
      if (handlers.flush) await handlers.flush();
    }
    if (!decoder) {
      const head = Buffer.concat(pending);
      encoding = detectXmlEncoding(head);
      decoder = iconv.getDecoder(encoding);
      feed(decoder.write(head));
    }
    feed(decoder.end() ?? '');
    if (!sawContent) throw new EmptyPayloadError(fileName);
    parser.close();
    if (dataError) throw dataError;
    if (handlers.flush) await handlers.flush();
  } catch (err) {
    failure = err as Error;
  } finally {
    if (typeof source === 'string') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  if (failure) throw failure;
  return { encoding, rootName, rootAttrs, bytes };
}
