import type { ShopMessages } from './types.js';

export const shopEn: ShopMessages = {};
