import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { AifFileError, normalizeAifText, readAifText } from '../../../../server/erp/ax2012-aif/read-aif-file.js';

/** The MicrosoftDocs AIF examples, as published (not well-formed: SOURCES.md), through the repairing reader. */

const DIR = process.env.ERP_FIXTURES_DIR ?? resolve(import.meta.dirname, '../../../../../shared/fixtures/erp');
const CREATE = 'ax2012-aif_SalesOrderService-create_request-and-response.xml';
const READ = 'ax2012-aif_CustomerService-read_response.xml';

describe('AIF fixtures', () => {
  it('when the published create example is read raw, then it is not well-formed; repaired, it is two messages', async () => {
    const raw = await readFile(join(DIR, CREATE), 'utf8');
    expect(XMLValidator.validate(raw)).not.toBe(true);
    const docs = normalizeAifText(raw);
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(XMLValidator.validate(d)).toBe(true);
    expect(docs[0]).toContain('<Envelope xmlns="https://schemas.microsoft.com/dynamics/2011/01/documents/Message">');
    expect(docs[0]).toContain('<MessageId>{D1F93462-0229-1430-0001-93FAE32B2E4D}</MessageId>');
    expect(docs[0]).toContain('<Action>https://schemas.microsoft.com/dynamics/2008/01/services/SalesOrderService/create</Action>');
    expect(docs[0]).toContain('xmlns="https://schemas.microsoft.com/dynamics/2008/01/documents/SalesOrder"');
    expect(docs[1]).toContain('<RequestMessageId>{D1F93462-0229-1430-0001-93FAE32B2E4D}</RequestMessageId>');
  });

  it('when the create example is mapped, then the request order gets the SalesId of its answer', async () => {
    const r = readAifText(await readFile(join(DIR, CREATE), 'utf8'));
    expect(r.orderStates).toEqual([{
      externalId: 'PO2',
      erpRef: { erpId: '00018_036', code: '00018_036' },
      number: '00018_036',
      status: 'draft',
      rawStatus: 'None',
      posted: false,
      lines: [{ lineNo: 1, productRef: { erpId: 'ESB-009' }, qty: '1', price: '0', reserved: '0', waiting: '0', cancelled: false }],
    }]);
  });

  it('when the read example lacks the last ">", then it is repaired and the customer is mapped', async () => {
    const raw = await readFile(join(DIR, READ), 'utf8');
    expect(raw.trimEnd().endsWith('</Envelope')).toBe(true);
    const r = readAifText(raw);
    expect(r.customers).toEqual([{ ref: { erpId: '4507' }, name: '3 Company', priceTypeRef: null }]);
  });

  it('when a message is broken beyond the documented artefacts, then the error names line and column', () => {
    const broken = '<?xml version="1.0"?>\n<Envelope xmlns="https://schemas.microsoft.com/dynamics/2011/01/documents/Message">\n<Body><MessageParts>\n<SalesOrder><SalesTable class="entity"><SalesId>1</SalesTable>\n</MessageParts></Body></Envelope>';
    let err: unknown;
    try {
      readAifText(broken);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AifFileError);
    expect((err as AifFileError).line).toBe(4);
    expect((err as Error).message).toMatch(/^malformed XML at 4:\d+/);
  });
});
