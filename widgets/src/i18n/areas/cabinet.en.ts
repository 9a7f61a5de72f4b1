import type { CabinetMessages } from './types.js';

export const cabinetEn: CabinetMessages = {};
