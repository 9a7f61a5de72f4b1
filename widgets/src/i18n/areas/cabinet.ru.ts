/** Dealer cabinet screens (catalog, search, cart, quick order, checkout, orders, home). Keys start with `cab.`. */
export const cabinetRu = {} as const;
