import { ErpError, type ErpErrorKind } from '../port.js';
import type { Logger } from '../../lib/logger.js';
import { AX_SERVICES_NS, CUSTOM_SERVICES_NS, SERVICE_KIND, wrapperOf } from './aif-namespaces.js';
import type { AxTransport } from './aif-transport.js';
import { aifParser, at, list, obj, str, type XmlObject } from './aif-xml.js';
import { buildEnvelope, soapHeaders, type SoapVersion } from './soap-envelope.js';

/**
 * One AIF call: envelope out, answer parsed, every failure turned into an ErpError kind the outbox understands.
 * AIF reports business errors as a SOAP Fault with an AifFault detail listing the infolog messages
 * (https://learn.microsoft.com/en-us/dynamicsax-2012/developer/aif-fault-handling is the AX side of it).
 */

export interface AifClientOptions {
  endpoint: string;
  company: string;
  soapVersion?: SoapVersion;
  transport: AxTransport;
  logger?: Logger;
}

export interface AifAnswer {
  /** The operation's response element (e.g. SalesOrderServiceReadResponse). */
  body: XmlObject;
  /** Server clock from the HTTP Date header (watermarks for getChangedKeys). */
  serverDate: Date | null;
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Which ErpError kind an AIF fault is, from its infolog messages (or, without an AifFault, its fault code). */
export function classifyAifFault(messages: string[], faultCode: string, isAifFault: boolean): ErpErrorKind {
  const text = messages.join(' ');
  if (/not authori[sz]ed|access denied|permission|нет прав|доступ запрещ|logon failed/i.test(text)) return 'auth';
  if (/no valid document identified|document .*not found|record .*not found|не найден/i.test(text)) return 'not-found';
  if (/deadlock|time-?out|temporar|try again|update conflict|AOS .* (down|unavailable)/i.test(text)) return 'transient';
  if (/already exists|duplicate|уже существует/i.test(text)) return 'conflict';
  // A WCF fault without AifFault detail from the receiver is an infrastructure error, not a business one.
  if (!isAifFault && /receiver|server|internal/i.test(faultCode)) return 'transient';
  return 'validation';
}

/** Messages of a SOAP 1.1 or 1.2 fault: the AifFault infolog lines, else the fault string. */
export function faultMessages(fault: XmlObject): { messages: string[]; code: string; isAifFault: boolean } {
  const detail = obj(fault['detail']) ?? obj(fault['Detail']);
  const aif = obj(detail?.['AifFault']);
  const messages: string[] = [];
  for (const arr of list(obj(aif?.['FaultMessageListArray'])?.['ArrayOfFaultMessageList'])) {
    for (const ml of list(arr['FaultMessageList'])) {
      for (const m of list(obj(ml['FaultMessageArray'])?.['FaultMessage'])) {
        const msg = str(m['Message']);
        if (msg) messages.push(msg);
      }
    }
  }
  const reason = str(fault['faultstring']) ?? str(at(fault, 'Reason', 'Text'));
  const code = str(fault['faultcode']) ?? str(at(fault, 'Code', 'Value')) ?? '';
  if (messages.length === 0 && reason) messages.push(reason);
  return { messages, code, isAifFault: aif !== undefined };
}

export function createAifClient(options: AifClientOptions) {
  const version = options.soapVersion ?? '1.1';

  async function call(service: string, operation: string, inner: string, opts: { messageId?: string; signal?: AbortSignal } = {}): Promise<AifAnswer> {
    const ns = SERVICE_KIND[service] === 'custom' ? CUSTOM_SERVICES_NS : AX_SERVICES_NS;
    const wrapper = wrapperOf(service, operation, 'Request');
    const body = `<${wrapper} xmlns="${ns}">${inner}</${wrapper}>`;
    const envelope = buildEnvelope(version, { company: options.company, ...(opts.messageId ? { messageId: opts.messageId } : {}) }, body);
    const what = `${service}.${operation}`;
    let res;
    try {
      res = await options.transport({ url: options.endpoint, headers: soapHeaders(version, service, operation), body: envelope, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (err) {
      throw new ErpError('transient', `AX AIF ${what}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'} (${describeCause(err)})`, { cause: err });
    }
    const serverDate = res.headers.get('date') ? new Date(res.headers.get('date') as string) : null;
    if (res.status === 401 || res.status === 403) throw new ErpError('auth', `AX AIF ${what}: credentials refused (HTTP ${res.status})`, { erpCode: String(res.status) });
    if (res.status === 429) {
      throw new ErpError('rate-limited', `AX AIF ${what}: too many requests`, { retryAfterMs: retryAfterMs(res.headers.get('retry-after')) ?? 30_000, erpCode: '429' });
    }
    let parsed: XmlObject | undefined;
    if (/xml/i.test(res.headers.get('content-type') ?? '') || res.body.trimStart().startsWith('<')) {
      try {
        parsed = aifParser.parse(res.body) as XmlObject;
      } catch {
        parsed = undefined;
      }
    }
    const envelopeBody = obj(at(parsed, 'Envelope', 'Body'));
    const fault = obj(envelopeBody?.['Fault']);
    if (fault) {
      const { messages, code, isAifFault } = faultMessages(fault);
      const kind = classifyAifFault(messages, code, isAifFault);
      options.logger?.info({ service, operation, kind, code }, 'AX AIF fault');
      throw new ErpError(kind, `AX AIF ${what}: ${messages.join('; ') || code || 'fault'}`, { erpCode: code || undefined });
    }
    if (res.status === 404) throw new ErpError('not-found', `AX AIF ${what}: no AIF port at ${options.endpoint} (HTTP 404)`, { erpCode: '404' });
    if (res.status >= 500 || res.status === 408) {
      const after = retryAfterMs(res.headers.get('retry-after'));
      throw new ErpError('transient', `AX AIF ${what}: HTTP ${res.status}`, { erpCode: String(res.status), ...(after !== undefined ? { retryAfterMs: after } : {}) });
    }
    if (res.status >= 400) throw new ErpError('validation', `AX AIF ${what}: HTTP ${res.status}`, { erpCode: String(res.status) });
    const answer = obj(envelopeBody?.[wrapperOf(service, operation, 'Response')]);
    if (!answer) {
      if (envelopeBody && wrapperOf(service, operation, 'Response') in envelopeBody) return { body: {}, serverDate };
      throw new ErpError('transient', `AX AIF ${what}: the answer is not a ${wrapperOf(service, operation, 'Response')} envelope`);
    }
    return { body: answer, serverDate };
  }

  return { call, company: options.company };
}

function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err as Error)?.message ?? String(err);
}

export type AifClient = ReturnType<typeof createAifClient>;
