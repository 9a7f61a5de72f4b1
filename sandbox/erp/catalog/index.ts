export { generateCatalog } from './generate-catalog.js';
export type * from './catalog.types.js';
export { createFaults, TRANSPORT_FAULTS, type ErpFaults, type FaultKind, type FaultRule } from './faults.js';
export { ean13CheckDigit, isValidEan13, makeEan13 } from './ean13.js';
export { isValidInn } from './russian-ids.js';
export { addDays, daysBetween, formatLocal, parseLocal } from './dates.js';
export { decimalToKop, kopToDecimal } from './money.js';
export { EMPTY_GUID, makeGuid, Rng, hashSeed } from './prng.js';
export * from './normalize.js';
