import { generateCatalog, formatLocal } from '../../sandbox/erp/catalog/index.js';
import { startOnecOdataEmulator } from '../../sandbox/erp/onec-odata/index.js';
import { createOnecOdataConnector } from '../../server/erp/onec-odata/index.js';
import { runErpConnectorBattery } from './erp-connector.battery.js';

/** The contract battery against the 1C OData adapter and the in-process УТ 11 emulator (port 0, 300 SKUs). */
runErpConnectorBattery('1C OData (УТ 11) against the emulator', async () => {
  // The emulator keeps 1C "local" time in UTC; the catalog's today is now, so overdue days agree with the adapter's.
  const catalog = generateCatalog({ seed: 'battery-1c', skus: 300, customers: 8, asOf: formatLocal(Date.now()) });
  const running = await startOnecOdataEmulator({ catalog });
  const connector = createOnecOdataConnector({
    baseUrl: running.baseUrl, user: 'odata', password: 'odata', profile: 'ut11', timeZone: 'UTC', pageSize: 120, timeoutMs: 5000,
  });
  return {
    connector,
    emulator: {
      catalog,
      faults: running.emulator.faults,
      findOrderByExternalId: (id) => running.emulator.findOrderByExternalId(id),
      setOrderStatus: (id, status) => running.emulator.setOrderStatus(id, status),
      updateProduct: (index, patch) => running.emulator.updateProduct(index, patch),
      close: () => running.close(),
    },
    teardown: () => running.close(),
  };
});
