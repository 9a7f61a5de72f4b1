import { compileFilter, compileOrder, type FilterField } from '../../crm/filter.js';
import { entityTypeIdFromOwnerCode, findItemType } from '../../crm/type-model.js';
import { asList, toFloatOrNull, toIntOrNull, toYN } from '../../crm/values.js';
import type { PortalRuntime } from '../../core/runtime.js';
import { pageOf } from '../../rest/envelope.js';
import { RestError } from '../../rest/rest-error.js';
import type { MethodCall, MethodDef } from '../../rest/registry.js';
import type { SItem, SProductRow } from '../../store/types.js';

/**
 * crm.item.productrow.* (api-reference/crm/universal/product-rows/): rows of an owner given by its short type code
 * (`D`, `L`, `T` + hex entityTypeId) and id. `set` replaces all rows. The owner's amount follows the rows unless it
 * is in manual mode.
 */

const round = (n: number) => Math.round(n * 100) / 100;

function ownerOf(rt: PortalRuntime, ownerType: unknown, ownerId: unknown): { item: SItem; code: string } {
  const code = typeof ownerType === 'string' ? ownerType : '';
  const id = toIntOrNull(ownerId);
  if (!code || id === null) throw new RestError('100', 'Required parameters not provided', 400);
  const eti = entityTypeIdFromOwnerCode(code);
  const model = eti === null ? null : findItemType(rt.store, eti);
  if (!model || (model.kind === 'dynamic' && model.type?.flags.isLinkWithProductsEnabled !== 'Y')) {
    throw new RestError('ENTITY_TYPE_NOT_SUPPORTED', 'Working with this type of objects is not supported', 400);
  }
  const item = rt.store.items.get(`${model.entityTypeId}:${id}`);
  if (!item) throw new RestError('OWNER_NOT_FOUND', 'Owner was not found', 400);
  return { item, code };
}

/** Fills the derived prices the way the docs define them (crm/data-types.md#crm_item_product_row). */
function computeRow(row: SProductRow): SProductRow {
  const tax = row.taxRate ?? 0;
  const exclusive = row.price / (1 + tax / 100);
  let netto: number;
  if (row.discountTypeId === 1) {
    netto = exclusive + row.discountSum;
    row.discountRate = netto ? round((row.discountSum / netto) * 100) : 0;
  } else {
    netto = row.discountRate < 100 ? exclusive / (1 - row.discountRate / 100) : exclusive;
    row.discountSum = round(netto - exclusive);
  }
  row.priceExclusive = round(exclusive);
  row.priceNetto = round(netto);
  row.priceBrutto = round(netto * (1 + tax / 100));
  row.priceAccount = round(row.price);
  return row;
}

function readRow(rt: PortalRuntime, input: Record<string, unknown>, base: Partial<SProductRow>): SProductRow {
  const merged: SProductRow = {
    id: base.id ?? rt.store.nextId('productRow'),
    ownerId: base.ownerId as number,
    ownerType: base.ownerType as string,
    productId: toIntOrNull(input.productId) ?? base.productId ?? 0,
    productName: typeof input.productName === 'string' ? input.productName : (base.productName ?? ''),
    price: toFloatOrNull(input.price) ?? base.price ?? 0,
    priceAccount: 0,
    priceExclusive: 0,
    priceNetto: 0,
    priceBrutto: 0,
    quantity: toFloatOrNull(input.quantity) ?? base.quantity ?? 1,
    discountTypeId: toIntOrNull(input.discountTypeId) ?? base.discountTypeId ?? 2,
    discountRate: toFloatOrNull(input.discountRate) ?? base.discountRate ?? 0,
    discountSum: toFloatOrNull(input.discountSum) ?? base.discountSum ?? 0,
    taxRate: input.taxRate === undefined ? (base.taxRate ?? null) : toFloatOrNull(input.taxRate),
    taxIncluded: input.taxIncluded === undefined ? (base.taxIncluded ?? 'N') : toYN(input.taxIncluded),
    customized: 'Y',
    measureCode: toIntOrNull(input.measureCode) ?? base.measureCode ?? 796,
    measureName: typeof input.measureName === 'string' ? input.measureName : (base.measureName ?? 'шт'),
    sort: toIntOrNull(input.sort) ?? base.sort ?? 10,
    xmlId: typeof input.xmlId === 'string' ? input.xmlId : (base.xmlId ?? ''),
    type: toIntOrNull(input.type) ?? base.type ?? 1,
    storeId: toIntOrNull(input.storeId) ?? base.storeId ?? null,
  };
  return computeRow(merged);
}

function render(r: SProductRow): Record<string, unknown> {
  const { storeId: _storeId, ...rest } = r;
  return rest;
}

function rowsOf(rt: PortalRuntime, ownerType: string, ownerId: number): SProductRow[] {
  return rt.store.productRows.filter((r) => r.ownerType === ownerType && r.ownerId === ownerId).sort((a, b) => a.sort - b.sort || a.id - b.id);
}

/** Keeps `opportunity` equal to the rows' total unless the owner is in manual amount mode. */
function recalcOwner(rt: PortalRuntime, item: SItem, code: string): void {
  if (item.fields.isManualOpportunity === 'Y') return;
  const rows = rowsOf(rt, code, item.id);
  if (!('opportunity' in item.fields) && item.entityTypeId !== 2 && item.entityTypeId !== 1) return;
  item.fields.opportunity = round(rows.reduce((s, r) => s + r.price * r.quantity, 0));
  item.fields.taxValue = round(rows.reduce((s, r) => s + (r.price - r.priceExclusive) * r.quantity, 0));
  if (item.entityTypeId === 2) item.fields.hasProducts = rows.length ? 'Y' : 'N';
  rt.store.items.touch();
}

function rowById(call: MethodCall): SProductRow {
  const row = call.rt.store.productRows.get(toIntOrNull(call.params.id) ?? -1);
  if (!row) throw new RestError('NOT_FOUND', 'Product row not found', 400);
  return row;
}

const ROW_FIELDS: Record<string, FilterField['type']> = {
  id: 'int', ownerId: 'int', ownerType: 'string', productId: 'int', productName: 'string', price: 'double', quantity: 'double',
  discountTypeId: 'int', discountRate: 'double', discountSum: 'double', taxRate: 'double', taxIncluded: 'boolean', measureCode: 'int', sort: 'int', xmlId: 'string', type: 'int',
};
const rowField = (n: string): FilterField | null =>
  ROW_FIELDS[n] ? { type: ROW_FIELDS[n] as FilterField['type'], get: ((r: SProductRow) => (r as unknown as Record<string, unknown>)[n]) as FilterField['get'] } : null;

export const productRowMethods: MethodDef[] = [
  {
    name: 'crm.item.productrow.add',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const f = (call.params.fields ?? {}) as Record<string, unknown>;
      const { item, code } = ownerOf(call.rt, f.ownerType, f.ownerId);
      const row = call.rt.store.productRows.insert(readRow(call.rt, f, { ownerId: item.id, ownerType: code }));
      recalcOwner(call.rt, item, code);
      return { productRow: render(row) };
    },
  },
  {
    name: 'crm.item.productrow.set',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const { item, code } = ownerOf(call.rt, call.params.ownerType, call.params.ownerId);
      call.rt.store.productRows.deleteWhere((r) => r.ownerType === code && r.ownerId === item.id);
      for (const raw of asList(call.params.productRows)) {
        call.rt.store.productRows.insert(readRow(call.rt, (raw ?? {}) as Record<string, unknown>, { ownerId: item.id, ownerType: code }));
      }
      recalcOwner(call.rt, item, code);
      return { productRows: rowsOf(call.rt, code, item.id).map(render) };
    },
  },
  {
    name: 'crm.item.productrow.get',
    scope: 'crm',
    intranetOnly: true,
    handler: (call) => ({ productRow: render(rowById(call)) }),
  },
  {
    name: 'crm.item.productrow.update',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const existing = rowById(call);
      const f = (call.params.fields ?? {}) as Record<string, unknown>;
      const row = readRow(call.rt, f, existing);
      call.rt.store.productRows.insert(row);
      const owner = ownerOf(call.rt, row.ownerType, row.ownerId);
      recalcOwner(call.rt, owner.item, owner.code);
      return { productRow: render(row) };
    },
  },
  {
    name: 'crm.item.productrow.delete',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const row = rowById(call);
      call.rt.store.productRows.delete(row.id);
      const owner = ownerOf(call.rt, row.ownerType, row.ownerId);
      recalcOwner(call.rt, owner.item, owner.code);
      return null;
    },
  },
  {
    name: 'crm.item.productrow.list',
    scope: 'crm',
    intranetOnly: true,
    handler(call) {
      const filter = (call.params.filter ?? {}) as Record<string, unknown>;
      if (filter['=ownerType'] === undefined || filter['=ownerId'] === undefined) throw new RestError('100', 'Required parameters not provided: =ownerType, =ownerId', 400);
      ownerOf(call.rt, filter['=ownerType'], asList(filter['=ownerId'])[0]);
      const bad = (n: string) => new RestError('INVALID_ARG_VALUE', `Invalid field ${n}`, 400);
      const pred = compileFilter<SProductRow>(filter, rowField, { allowLogic: false, unknownField: bad });
      const order = compileOrder<SProductRow>(call.params.order, rowField, { unknownField: bad, badDirection: bad }, (a, b) => a.sort - b.sort || a.id - b.id);
      const rows = call.rt.store.productRows.filter(pred).sort(order);
      return pageOf(rows, call.start, (page) => ({ productRows: page.map(render) }));
    },
  },
  {
    name: 'crm.item.productrow.fields',
    scope: 'crm',
    intranetOnly: true,
    handler() {
      const d = (type: string, title: string, o: { ro?: boolean; req?: boolean; imm?: boolean } = {}) => ({
        type, isRequired: o.req ?? false, isReadOnly: o.ro ?? false, isImmutable: o.imm ?? false, isMultiple: false, isDynamic: false, title,
      });
      return {
        fields: {
          id: d('integer', 'ID', { ro: true }),
          ownerId: d('integer', 'Owner ID', { req: true, imm: true }),
          ownerType: d('string', 'Owner Type', { req: true, imm: true }),
          productId: d('integer', 'Product', { req: true }),
          productName: d('string', 'Product Name'),
          price: d('double', 'Price'),
          priceAccount: d('double', 'PRICE_ACCOUNT', { ro: true }),
          priceExclusive: d('double', 'Discounted price excluding tax', { ro: true }),
          priceNetto: d('double', 'PRICE_NETTO', { ro: true }),
          priceBrutto: d('double', 'PRICE_BRUTTO', { ro: true }),
          quantity: d('double', 'Quantity'),
          discountTypeId: d('integer', 'Discount type'),
          discountRate: d('double', 'Discount rate'),
          discountSum: d('double', 'Discount sum'),
          taxRate: d('double', 'Tax rate'),
          taxIncluded: d('char', 'Tax included'),
          customized: d('char', 'Customized'),
          measureCode: d('integer', 'Measure code'),
          measureName: d('string', 'Measure name'),
          sort: d('integer', 'Sort'),
          xmlId: d('string', 'XML_ID'),
          type: d('integer', 'Type'),
        },
      };
    },
  },
];
