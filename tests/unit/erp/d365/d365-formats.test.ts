import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { d365Formats } from '../../../../server/erp/d365-odata/index.js';

const format = d365Formats[0];

describe('D365 OData payload format for the inspect CLI', () => {
  it('when a saved F&O answer is offered, then it is recognised by @odata.context and mapped by entity set', async () => {
    const text = JSON.stringify({
      '@odata.context': 'https://contoso.operations.dynamics.com/data/$metadata#CustomersV3(dataAreaId,CustomerAccount,OrganizationName)',
      value: [{ '@odata.etag': 'W/"JzEsNTYzNzE0NDU3Nic="', dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: 'Contoso Retail San Diego', DiscountPriceGroupId: 'RETAIL' }],
    });
    expect(format?.detect(Buffer.from(text), 'customers.json')).toBe('d365-odata/CustomersV3');
    expect(format?.detect(Buffer.from('{"odata.metadata":"http://x/base/odata/standard.odata/$metadata#Catalog_Склады","value":[]}'), 'x.json')).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'd365-format-'));
    writeFileSync(join(dir, 'c.json'), `\uFEFF${text}`);
    const read = await format?.read(join(dir, 'c.json'));
    expect(read?.customers).toEqual([{ ref: { erpId: 'usmf|US-001', code: 'US-001' }, name: 'Contoso Retail San Diego', priceTypeRef: { erpId: 'usmf|RETAIL' } }]);
    writeFileSync(join(dir, 'p.json'), JSON.stringify({
      '@odata.context': 'https://contoso.operations.dynamics.com/data/$metadata#WarehousesOnHandV2',
      value: [{ dataAreaId: 'usmf', ItemNumber: 'A0001', InventoryWarehouseId: '11', OnHandQuantity: 10, ReservedOnHandQuantity: 2.5, AvailableOnHandQuantity: 7.5, OrderedQuantity: 0 }],
    }));
    const stock = await format?.read(join(dir, 'p.json'));
    expect(stock?.stock).toEqual([{ productRef: { erpId: 'usmf|A0001' }, warehouseRef: { erpId: 'usmf|11' }, onHand: '10', reserved: '2.5', available: '7.5' }]);
  });
});
