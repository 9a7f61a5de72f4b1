/** Manager screens in CRM cards (order editor, dealer card, act as dealer). Keys start with `mgr.`. */
export const managerRu = {} as const;
