export { startAx2012Emulator, type Ax2012Emulator, type Ax2012EmulatorOptions } from './start-ax2012-emulator.js';
export { axIds, axBatteryIds } from './ax-ids.js';
export { STATUS_TO_AX, type SalesStatus, type DocumentStatus } from './ax-store.js';
