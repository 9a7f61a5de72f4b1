export { createD365Emulator, mountD365Emulator, startD365Emulator, type D365Emulator, type D365EmulatorOptions, type D365EmulatedOrder, type RunningD365Emulator } from './create-d365-emulator.js';
export { D365_CATEGORY_HIERARCHY, D365_COMPANY, D365_DEFAULT_COMPANY, d365Ids } from './d365-ids.js';
export { renderD365Metadata, parseKey } from './d365.router.js';
