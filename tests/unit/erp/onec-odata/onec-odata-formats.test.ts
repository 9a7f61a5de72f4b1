import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onecOdataFormats } from '../../../../server/erp/onec-odata/index.js';
import { parseRetryAfter } from '../../../../server/erp/onec-odata/index.js';

const DIR = '/work/shared/fixtures/erp';
const format = onecOdataFormats[0];

describe('1C OData payload format for the inspect CLI', () => {
  it('when the real fixtures are offered, then each is recognised with its entity set and nothing else is', () => {
    const head = (f: string) => readFileSync(join(DIR, f)).subarray(0, 65536);
    expect(format?.detect(head('1c-odata_service-document.json'), 'x.json')).toBe('1c-odata/service-document');
    expect(format?.detect(head('1c-odata_Catalog_Nomenklatura_element.json'), 'x.json')).toBe('1c-odata/Catalog_Номенклатура/@Element');
    expect(format?.detect(head('1c-odata_Catalog_EdinicyIzmereniya_list.json'), 'x.json')).toBe('1c-odata/Catalog_ЕдиницыИзмерения');
    expect(format?.detect(head('1c-odata_Document_PrihodnyOrder_list.json'), 'x.json')).toBe('1c-odata/Document_ПриходныйОрдер');
    expect(format?.detect(head('commerceml-2.07_offers_with-warehouses.xml'), 'offers.xml')).toBeNull();
    expect(format?.detect(Buffer.from('{"@odata.context":"https://x.operations.dynamics.com/data/$metadata#CustomersV3","value":[]}'), 'x.json')).toBeNull();
  });

  it('when the fixtures are read, then they map into batches', async () => {
    const element = await format?.read(join(DIR, '1c-odata_Catalog_Nomenklatura_element.json'));
    expect(element?.products?.map((p) => [p.sku, p.name])).toEqual([['412', 'НеЖенскаяНеСумка']]);
    expect(element?.groups).toEqual([]);
    const units = (await format?.read(join(DIR, '1c-odata_Catalog_EdinicyIzmereniya_list.json'))) as { units?: Array<{ name: string }> };
    expect(units.units?.map((u) => u.name)).toEqual(['шт', 'Бета', 'прпро', 'асу', 'Нога', 'ййу32']);
    const docs = await format?.read(join(DIR, '1c-odata_Document_PrihodnyOrder_list.json'));
    expect(docs?.documents).toHaveLength(4);
    const service = (await format?.read(join(DIR, '1c-odata_service-document.json'))) as { entitySets?: string[] };
    expect(service.entitySets).toHaveLength(70);
  });
});

describe('Retry-After parsing', () => {
  it('when given seconds or an HTTP date, then it answers milliseconds', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.parse('2026-01-01T00:00:30Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
