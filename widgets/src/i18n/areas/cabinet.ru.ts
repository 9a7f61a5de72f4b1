/** Dealer cabinet screens (shell, home, checkout, orders, act-as). Keys start with `cab.`. Shopping screens are in shop.*. */
export const cabinetRu = {} as const;
