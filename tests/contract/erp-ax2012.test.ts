import { createFaults, generateCatalog } from '../../sandbox/erp/catalog/index.js';
import { axBatteryIds, startAx2012Emulator } from '../../sandbox/erp/ax2012/index.js';
import { createAx2012Connector } from '../../server/erp/ax2012-aif/create-ax2012-connector.js';
import { runErpConnectorBattery } from './erp-connector.battery.js';

runErpConnectorBattery('Dynamics AX 2012 AIF (SOAP 1.1, Basic)', async () => {
  const catalog = generateCatalog({ seed: 'ax2012-battery', skus: 240 });
  const emulator = await startAx2012Emulator({ catalog, company: 'dhru', user: 'CONTOSO\\dealerhub', password: 'aif-secret', faults: createFaults() });
  const connector = createAx2012Connector({ endpoint: emulator.endpoint, company: 'dhru', user: 'CONTOSO\\dealerhub', password: 'aif-secret', pageSize: 400, readChunk: 50 });
  return {
    connector,
    emulator: { ...emulator, catalog, close: () => emulator.close() },
    options: {
      ids: axBatteryIds(catalog),
      productFields: ['sku', 'name', 'groupRef', 'barcodes', 'baseUnit', 'description', 'vatRate', 'deleted'],
      documentKind: (d) => (d.kind === 'invoice' || d.kind === 'act' ? 'invoice' : 'waybill'),
      orderStatuses: [
        { set: 'confirmed', expect: 'confirmed' },
        { set: 'in_fulfilment', expect: 'in_fulfilment' },
        { set: 'shipped', expect: 'shipped' },
        { set: 'closed', expect: 'invoiced' },
      ],
    },
    teardown: () => emulator.close(),
  };
});
