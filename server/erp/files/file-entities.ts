import type {
  ErpCustomer, ErpCustomerFinance, ErpDocument, ErpDocumentKind, ErpOrderState, ErpOrderStatus, ErpPrice, ErpPriceType, ErpProduct, ErpProductGroup,
  ErpRef, ErpStock, ErpUnit, ErpWarehouse,
} from '../port.js';
import { dec, toDecimal, type DecimalString } from '../../lib/decimal.js';
import type { CsvRow } from './parse-csv.js';

/**
 * The column contract of the drop folder's CSV files (FORMAT.md): one mapper per file kind, from a CSV row to the
 * port's normalized type. A mapper throws a FileRowError naming the line and the column.
 */

export interface FileEntities {
  groups: ErpProductGroup;
  products: ErpProduct;
  priceTypes: ErpPriceType;
  prices: ErpPrice;
  warehouses: ErpWarehouse;
  stock: ErpStock;
  customers: ErpCustomer;
  finance: ErpCustomerFinance;
  documents: ErpDocument;
  orderStates: ErpOrderState;
}

export type FileEntity = keyof FileEntities;

/** File names in `in/`: `<kind>.csv`, optionally with a suffix (`stock-2026-11-20.csv`); products may be XML. */
export const FILE_PATTERNS: Record<FileEntity, RegExp> = {
  groups: /^groups([-_][\w.-]*)?\.csv$/i,
  products: /^products([-_][\w.-]*)?\.(csv|xml)$/i,
  priceTypes: /^price-types([-_][\w.-]*)?\.csv$/i,
  prices: /^prices([-_][\w.-]*)?\.csv$/i,
  warehouses: /^warehouses([-_][\w.-]*)?\.csv$/i,
  stock: /^stock([-_][\w.-]*)?\.csv$/i,
  customers: /^customers([-_][\w.-]*)?\.csv$/i,
  finance: /^finance([-_][\w.-]*)?\.csv$/i,
  documents: /^documents([-_][\w.-]*)?\.csv$/i,
  orderStates: /^order-states([-_][\w.-]*)?\.csv$/i,
};

export function entityOfFile(name: string): FileEntity | undefined {
  return (Object.keys(FILE_PATTERNS) as FileEntity[]).find((e) => FILE_PATTERNS[e].test(name));
}

/** Columns that must be in the header of each file kind. */
export const REQUIRED_COLUMNS: Record<FileEntity, string[]> = {
  groups: ['id', 'name'],
  products: ['id', 'name'],
  priceTypes: ['id', 'name'],
  prices: ['product_id', 'price_type_id', 'price'],
  warehouses: ['id', 'name'],
  stock: ['product_id', 'warehouse_id', 'on_hand'],
  customers: ['id', 'name'],
  finance: ['customer_id', 'debt'],
  documents: ['id', 'kind', 'number', 'date', 'customer_id', 'amount'],
  orderStates: ['erp_id', 'number', 'status'],
};

const ORDER_STATUSES: readonly ErpOrderStatus[] = ['draft', 'confirmed', 'in_fulfilment', 'invoiced', 'paid', 'shipped', 'delivered', 'closed', 'cancelled'];
const DOCUMENT_KINDS: readonly ErpDocumentKind[] = ['invoice', 'waybill', 'upd', 'act', 'credit-note', 'payment'];

const ref = (erpId: string, code?: string): ErpRef => (code ? { erpId, code } : { erpId });

function need(row: CsvRow, col: string): string {
  const v = row.get(col);
  if (v === undefined) throw row.error(col, 'is required');
  return v;
}

function decimal(row: CsvRow, col: string, fallback?: DecimalString): DecimalString {
  const v = row.get(col);
  if (v === undefined) {
    if (fallback !== undefined) return fallback;
    throw row.error(col, 'is required');
  }
  try {
    return toDecimal(v);
  } catch {
    throw row.error(col, `"${v}" is not a number (use 1234.50 or 1234,50)`);
  }
}

function optionalDecimal(row: CsvRow, col: string): DecimalString | undefined {
  return row.get(col) === undefined ? undefined : decimal(row, col);
}

function bool(row: CsvRow, col: string, fallback: boolean): boolean {
  const v = row.get(col);
  if (v === undefined) return fallback;
  if (/^(1|true|yes|y|да|д)$/i.test(v)) return true;
  if (/^(0|false|no|n|нет|н)$/i.test(v)) return false;
  throw row.error(col, `"${v}" is not a yes/no value (use 1/0, true/false, да/нет)`);
}

function integer(row: CsvRow, col: string): number | undefined {
  const v = row.get(col);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw row.error(col, `"${v}" is not a whole number`);
  return Number(v);
}

/** 2026-11-20, 2026-11-20T12:30[:00][Z|±hh:mm], 20.11.2026[ 12:30[:00]] → "2026-11-20T12:30:00" (zone kept when given). */
export function normalizeDate(v: string): string | undefined {
  const iso = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(:\d\d)?(\.\d+)?(Z|[+-]\d\d:?\d\d)?)?$/.exec(v);
  if (iso) return `${iso[1]}T${iso[2] ?? '00:00'}${iso[3] ?? ':00'}${iso[5] ?? ''}`;
  const ru = /^(\d\d)\.(\d\d)\.(\d{4})(?:\s+(\d\d:\d\d)(:\d\d)?)?$/.exec(v);
  if (ru) return `${ru[3]}-${ru[2]}-${ru[1]}T${ru[4] ?? '00:00'}${ru[5] ?? ':00'}`;
  return undefined;
}

function date(row: CsvRow, col: string, required: true): string;
function date(row: CsvRow, col: string, required?: false): string | undefined;
function date(row: CsvRow, col: string, required = false): string | undefined {
  const v = row.get(col);
  if (v === undefined) {
    if (required) throw row.error(col, 'is required');
    return undefined;
  }
  const d = normalizeDate(v);
  if (!d) throw row.error(col, `"${v}" is not a date (use 2026-11-20 or 20.11.2026)`);
  return d;
}

const split = (v: string | undefined) => (v ?? '').split('|').map((s) => s.trim()).filter(Boolean);

/** "ratio=name" / "name=value" pairs separated by "|". */
function pairs(row: CsvRow, col: string): Array<[string, string]> {
  return split(row.get(col)).map((p) => {
    const i = p.indexOf('=');
    if (i <= 0) throw row.error(col, `"${p}" is not a key=value pair`);
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
  });
}

export const FILE_ROW_MAPPERS: { [E in FileEntity]: (row: CsvRow) => FileEntities[E] } = {
  groups: (r) => ({ ref: ref(need(r, 'id'), r.get('code')), name: need(r, 'name'), parentRef: r.get('parent_id') ? ref(r.get('parent_id') as string) : null }),

  products: (r) => {
    const baseUnit: ErpUnit = { name: r.get('unit') ?? 'шт', ratio: '1' };
    const unitCode = r.get('unit_code');
    if (unitCode) baseUnit.code = unitCode;
    const p: ErpProduct = {
      ref: ref(need(r, 'id'), r.get('code')),
      name: need(r, 'name'),
      groupRef: r.get('group_id') ? ref(r.get('group_id') as string) : null,
      baseUnit,
      deleted: bool(r, 'deleted', false),
    };
    const text = (col: string, key: 'sku' | 'fullName' | 'brand' | 'description' | 'version') => {
      const v = r.get(col);
      if (v !== undefined) p[key] = v;
    };
    text('sku', 'sku');
    text('full_name', 'fullName');
    text('brand', 'brand');
    text('description', 'description');
    text('version', 'version');
    const barcodes = split(r.get('barcodes'));
    if (barcodes.length) p.barcodes = barcodes;
    const packs = pairs(r, 'packs').map(([ratio, name]) => {
      try {
        return { name, ratio: toDecimal(ratio) } satisfies ErpUnit;
      } catch {
        throw r.error('packs', `"${ratio}" is not a pack ratio`);
      }
    });
    if (packs.length) p.packUnits = packs;
    const props = pairs(r, 'properties').map(([name, value]) => ({ id: name, name, value }));
    if (props.length) p.properties = props;
    const analogs = split(r.get('analogs')).map((a) => ref(a));
    if (analogs.length) p.analogRefs = analogs;
    const pictures = split(r.get('pictures'));
    if (pictures.length) p.pictures = pictures;
    const vat = optionalDecimal(r, 'vat_rate');
    if (vat !== undefined) p.vatRate = vat;
    const modified = date(r, 'modified_at');
    if (modified) p.modifiedAt = modified;
    return p;
  },

  priceTypes: (r) => ({ ref: ref(need(r, 'id'), r.get('code')), name: need(r, 'name'), currency: (r.get('currency') ?? 'RUB').toUpperCase(), vatIncluded: bool(r, 'vat_included', true) }),

  prices: (r) => {
    const p: ErpPrice = { productRef: ref(need(r, 'product_id')), priceTypeRef: ref(need(r, 'price_type_id')), price: decimal(r, 'price'), currency: (r.get('currency') ?? 'RUB').toUpperCase() };
    const variant = r.get('variant_id');
    if (variant) p.variantRef = ref(variant);
    const unit = r.get('unit');
    if (unit) p.unit = unit;
    const from = date(r, 'valid_from');
    if (from) p.validFrom = from;
    return p;
  },

  warehouses: (r) => {
    const w: ErpWarehouse = { ref: ref(need(r, 'id'), r.get('code')), name: need(r, 'name') };
    if (r.get('city')) w.city = r.get('city') as string;
    if (r.get('address')) w.address = r.get('address') as string;
    return w;
  },

  stock: (r) => {
    const onHand = decimal(r, 'on_hand');
    const reserved = decimal(r, 'reserved', '0');
    const s: ErpStock = {
      productRef: ref(need(r, 'product_id')),
      warehouseRef: ref(need(r, 'warehouse_id')),
      onHand,
      reserved,
      available: decimal(r, 'available', toDecimal(dec(onHand).minus(reserved))),
    };
    const variant = r.get('variant_id');
    if (variant) s.variantRef = ref(variant);
    const expected = optionalDecimal(r, 'expected_qty');
    if (expected !== undefined && Number(expected) !== 0) {
      s.expected = { qty: expected };
      const d = date(r, 'expected_date');
      if (d) s.expected.date = d.slice(0, 10);
    }
    return s;
  },

  customers: (r) => {
    const c: ErpCustomer = { ref: ref(need(r, 'id'), r.get('code')), name: need(r, 'name'), priceTypeRef: r.get('price_type_id') ? ref(r.get('price_type_id') as string) : null };
    if (r.get('inn')) c.inn = r.get('inn') as string;
    if (r.get('kpp')) c.kpp = r.get('kpp') as string;
    return c;
  },

  finance: (r) => {
    const f: ErpCustomerFinance = {
      customerRef: ref(need(r, 'customer_id')),
      currency: (r.get('currency') ?? 'RUB').toUpperCase(),
      debt: decimal(r, 'debt'),
      overdue: decimal(r, 'overdue', '0'),
      creditLimit: optionalDecimal(r, 'credit_limit') ?? null,
      creditLimitEnforced: bool(r, 'credit_limit_enforced', false),
      asOf: date(r, 'as_of') ?? new Date().toISOString().slice(0, 19),
    };
    const days = integer(r, 'overdue_days');
    const term = integer(r, 'payment_term_days');
    if (days !== undefined) f.overdueDays = days;
    if (term !== undefined) f.paymentTermDays = term;
    return f;
  },

  documents: (r) => {
    const kind = need(r, 'kind').toLowerCase() as ErpDocumentKind;
    if (!DOCUMENT_KINDS.includes(kind)) throw r.error('kind', `"${kind}" is not one of ${DOCUMENT_KINDS.join(', ')}`);
    const orderId = r.get('order_id');
    return {
      ref: ref(need(r, 'id'), r.get('number')),
      kind,
      number: need(r, 'number'),
      date: date(r, 'date', true),
      customerRef: ref(need(r, 'customer_id')),
      amount: decimal(r, 'amount'),
      currency: (r.get('currency') ?? 'RUB').toUpperCase(),
      orderRef: orderId ? ref(orderId) : null,
      orderExternalId: r.get('order_external_id') ?? null,
      posted: bool(r, 'posted', true),
      hasFile: false,
    };
  },

  orderStates: (r) => {
    const status = need(r, 'status').toLowerCase() as ErpOrderStatus;
    if (!ORDER_STATUSES.includes(status)) throw r.error('status', `"${status}" is not one of ${ORDER_STATUSES.join(', ')}`);
    const s: ErpOrderState = {
      externalId: r.get('external_id') ?? null,
      erpRef: ref(need(r, 'erp_id'), r.get('number')),
      number: need(r, 'number'),
      status,
      rawStatus: r.get('raw_status') ?? status,
      posted: bool(r, 'posted', status !== 'draft'),
    };
    const total = optionalDecimal(r, 'total');
    if (total !== undefined) s.total = total;
    const updated = date(r, 'updated_at');
    if (updated) s.updatedAt = updated;
    return s;
  },
};
