/** The cabinet's shopping screens, mounted by the cabinet shell (cabinet-page.tsx). */
export { CatalogScreen } from './catalog-screen.js';
export { CartScreen } from './cart-screen.js';
export { CabinetSearchBox } from './cabinet-search-box.js';
export { CartBadge } from './cart-badge.js';
