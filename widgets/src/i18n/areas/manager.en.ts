import type { ManagerMessages } from './types.js';

export const managerEn: ManagerMessages = {};
