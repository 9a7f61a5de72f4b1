/** Escaping for XML we write by hand (CommerceML orders, SOAP envelopes): text and attribute values. */
export function escapeXml(value: string | number | boolean): string {
  // Characters XML 1.0 forbids even escaped are dropped, so a stray control character never breaks the document.
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;');
}

/** `<name>text</name>`, or nothing for undefined/null/empty values. */
export function el(name: string, value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null || value === '') return '';
  return `<${name}>${escapeXml(value)}</${name}>`;
}
