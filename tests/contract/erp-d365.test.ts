import { generateCatalog, formatLocal } from '../../sandbox/erp/catalog/index.js';
import { d365Ids, startD365Emulator, D365_CATEGORY_HIERARCHY } from '../../sandbox/erp/d365/index.js';
import { createD365Connector } from '../../server/erp/d365-odata/index.js';
import { runErpConnectorBattery } from './erp-connector.battery.js';

/** The contract battery against the D365 F&O adapter and the in-process emulator (port 0, 300 SKUs, pages of 70). */
runErpConnectorBattery('D365 F&O OData against the emulator', async () => {
  const catalog = generateCatalog({ seed: 'battery-d365', skus: 300, customers: 8, asOf: formatLocal(Date.now()) });
  const running = await startD365Emulator({ catalog, maxPageSize: 70 });
  const e = running.emulator;
  const connector = createD365Connector({
    baseUrl: running.url, authority: running.url, resource: e.resource, tenant: e.tenant, clientId: e.clientId, clientSecret: e.clientSecret,
    company: 'rumf', categoryHierarchy: D365_CATEGORY_HIERARCHY, timeZone: 'UTC', timeoutMs: 5000,
  });
  const orderIndex = new Map(catalog.orders.map((o) => [o.ref, o.index]));
  return {
    connector,
    emulator: {
      catalog,
      faults: e.faults,
      findOrderByExternalId: (id) => e.findOrderByExternalId(id),
      setOrderStatus: (id, status) => e.setOrderStatus(id, status),
      updateProduct: (index, patch) => e.updateProduct(index, patch),
      close: () => running.close(),
    },
    options: {
      ids: {
        product: (p) => d365Ids.ref(d365Ids.item(p)),
        group: (g) => d365Ids.categoryRef(g),
        warehouse: (w) => d365Ids.ref(d365Ids.warehouse(w)),
        priceType: (t) => d365Ids.ref(d365Ids.priceGroup(t)),
        customer: (c) => d365Ids.ref(d365Ids.customer(c)),
        document: (d) => d365Ids.ref(d365Ids.invoice(d)),
        order: (ref) => d365Ids.ref(d365Ids.salesOrder({ index: orderIndex.get(ref) ?? -1 })),
      },
      // F&O has no brands, product attributes in this entity set, analogs or pictures; KPP is not a CustomersV3 field.
      productFields: ['sku', 'name', 'groupRef', 'barcodes', 'baseUnit', 'packUnits', 'vatRate', 'deleted', 'description'],
      customerKpp: false,
      documentKind: (d) => (d.kind === 'invoice' ? null : 'invoice'),
    },
    teardown: () => running.close(),
  };
});
