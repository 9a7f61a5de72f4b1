/** Dealer cabinet shopping screens (catalog, search, product card, cart, quick order, saved carts). Keys start with `shop.`. */
export const shopRu = {} as const;
