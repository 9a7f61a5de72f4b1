import type { cabinetRu } from './cabinet.ru.js';
import type { managerRu } from './manager.ru.js';
import type { shopRu } from './shop.ru.js';

/** Each area's English dictionary must have exactly the keys of its Russian one. */
export type CabinetMessages = { [K in keyof typeof cabinetRu]: string };
export type ManagerMessages = { [K in keyof typeof managerRu]: string };
export type ShopMessages = { [K in keyof typeof shopRu]: string };
