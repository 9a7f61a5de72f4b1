export { createOnecOdataEmulator, createDefaultOnecOdataEmulator, type OnecOdataEmulator, type OnecOdataEmulatorOptions, type OnecEmulatedOrder } from './create-onec-odata-emulator.js';
export { mountOnecOdataEmulator, startOnecOdataEmulator, type RunningOnecOdataEmulator } from './start-onec-odata-emulator.js';
export { ONEC_ORDER_STATUSES, externalIdMarker, type OnecOrderStatus } from './onec-state.js';
export { parseFilter, evaluate, equalityHint, normalizeDateText, FilterSyntaxError, type FilterNode } from './odata-filter.js';
export { createQueryEngine, arraySource, applySelect, type RowSource, type Row } from './query-engine.js';
