import type { QuickOrderProblemCode } from './parse-quick-order.js';

/**
 * Why a line cannot be ordered, as a stable code plus a message in the dealer's language (quick order report, cart
 * warnings, checkout refusals all use these).
 */
export type LineProblemCode = QuickOrderProblemCode | 'UNKNOWN_SKU' | 'NOT_ON_SALE' | 'NO_PRICE' | 'BAD_MULTIPLICITY' | 'NO_PACK' | 'UNKNOWN_PRODUCT';

export interface LineProblem {
  code: LineProblemCode;
  message: { ru: string; en: string };
}

export interface ProblemArgs {
  sku?: string;
  unit?: string;
  ratio?: string;
  priceType?: string;
}

const TEXT: Record<LineProblemCode, (a: ProblemArgs) => { ru: string; en: string }> = {
  EMPTY_SKU: () => ({ ru: 'не указан артикул', en: 'no SKU in the line' }),
  BAD_QTY: () => ({ ru: 'количество не распознано (ожидается число, например 5, 2,5 или «3 уп»)', en: 'the quantity is not a number (expected e.g. 5, 2.5 or "3 packs")' }),
  ZERO_QTY: () => ({ ru: 'количество равно нулю', en: 'the quantity is zero' }),
  TOO_MANY_LINES: () => ({ ru: 'слишком много строк: остальные не загружены', en: 'too many lines: the rest was not read' }),
  UNREADABLE_FILE: () => ({ ru: 'файл не читается как CSV или XLSX', en: 'the file cannot be read as CSV or XLSX' }),
  UNKNOWN_SKU: (a) => ({ ru: `артикул «${a.sku ?? ''}» не найден в каталоге`, en: `SKU "${a.sku ?? ''}" is not in the catalog` }),
  UNKNOWN_PRODUCT: () => ({ ru: 'товара больше нет в каталоге', en: 'the product is no longer in the catalog' }),
  NOT_ON_SALE: (a) => ({ ru: `товар ${a.sku ?? ''} снят с продажи`.replace('  ', ' '), en: `product ${a.sku ?? ''} is not on sale`.replace('  ', ' ') }),
  NO_PRICE: (a) => ({ ru: `нет цены в вашем виде цен${a.priceType ? ` «${a.priceType}»` : ''}`, en: `no price in your price type${a.priceType ? ` "${a.priceType}"` : ''}` }),
  BAD_MULTIPLICITY: (a) => ({
    ru: a.ratio ? `количество упаковок должно быть целым (в упаковке ${a.ratio} ${a.unit ?? 'шт'})` : `товар продаётся целыми ${a.unit ?? 'шт'}: дробное количество недопустимо`,
    en: a.ratio ? `the number of packs must be whole (a pack holds ${a.ratio} ${a.unit ?? 'pcs'})` : `the product is sold in whole ${a.unit ?? 'pcs'}: a fractional quantity is not allowed`,
  }),
  NO_PACK: () => ({ ru: 'у товара нет упаковки: укажите количество в штуках', en: 'the product has no pack: give the quantity in base units' }),
};

export function lineProblem(code: LineProblemCode, args: ProblemArgs = {}): LineProblem {
  return { code, message: TEXT[code](args) };
}
