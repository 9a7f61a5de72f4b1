import { escapeXml } from '../onec-commerceml/xml-text.js';
import { CALL_CONTEXT_NS, SOAP11_NS, SOAP12_NS, actionOf } from './aif-namespaces.js';

/**
 * SOAP envelopes for AIF, written by hand from a template: the CallContext header AX reads the company and the message
 * id from (http://schemas.microsoft.com/dynamics/2010/01/datacontracts), and the operation's request element as body.
 * SOAP 1.1 carries the action in the SOAPAction header, SOAP 1.2 in the content type.
 */

export type SoapVersion = '1.1' | '1.2';

export interface CallContext {
  company: string;
  /** AIF MessageId, "{GUID}"; AIF rejects (answers the first result for) a duplicate with idempotence on. */
  messageId?: string;
  language?: string;
  logonAsUser?: string;
  partitionKey?: string;
}

export function buildEnvelope(version: SoapVersion, context: CallContext, body: string): string {
  const ns = version === '1.1' ? SOAP11_NS : SOAP12_NS;
  const field = (name: string, value: string | undefined) => (value ? `<${name}>${escapeXml(value)}</${name}>` : '');
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<s:Envelope xmlns:s="${ns}">`
    + '<s:Header>'
    + `<CallContext xmlns="${CALL_CONTEXT_NS}">`
    + field('Company', context.company) + field('Language', context.language) + field('LogonAsUser', context.logonAsUser)
    + field('MessageId', context.messageId) + field('PartitionKey', context.partitionKey)
    + '</CallContext>'
    + '</s:Header>'
    + `<s:Body>${body}</s:Body>`
    + '</s:Envelope>';
}

export function soapHeaders(version: SoapVersion, service: string, operation: string): Record<string, string> {
  const action = actionOf(service, operation);
  return version === '1.1'
    ? { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: `"${action}"` }
    : { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` };
}
