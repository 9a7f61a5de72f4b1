/** The ERP read model: ingest functions (batched, diffed, atomic per snapshot partition) and the reads over it. */
export { createIngestSession, emptyCounts, addCounts, type IngestCounts, type IngestSession, type ReadModelEntity } from './ingest-session.js';
export { ingestGroups } from './ingest-groups.js';
export { ingestProducts } from './ingest-products.js';
export { ingestWarehouses, ingestPriceTypes, ingestCustomers } from './ingest-reference-data.js';
export { ingestDocuments, ingestOrderStates } from './ingest-documents.js';
export { ingestPrices, ingestStock, ingestCustomerFinance, itemErpId, openPriceSnapshot, type SnapshotMode } from './ingest-prices-stock.js';
export { markMissingDeleted } from './mark-missing-deleted.js';
export { replacePartitions, openSnapshotStream, arrayPartition, type SnapshotStream, type Partition, type PartitionRow, type PartitionSpec } from './replace-partitions.js';
export { readModelTotals, listStoredProducts, readPriceMap, readStockMap, type ReadModelTotals, type PartitionTotals, type StoredProduct } from './read-model.queries.js';
export { fixScale } from './normalize.js';
