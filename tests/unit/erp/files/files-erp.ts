import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { ErpOrderStatus } from '../../../../server/erp/port.js';
import { DropFolderError, type DropFolder } from '../../../../server/erp/files/drop-folder.js';
import { renderDocumentPdf, renderProductPicture, TRANSPORT_FAULTS, type ErpFaults, type GeneratedCatalog } from '../../../../sandbox/erp/catalog/index.js';
import { fileSafe } from '../../../../server/erp/files/render-order-files.js';

/**
 * The ERP side of a drop folder, for tests: writes the generated catalog as the files FORMAT.md describes, answers
 * orders with order-states files, and (through `faultyFolder`) makes the folder misbehave as a network share does.
 */

type Row = Record<string, string>;

export interface WriteOptions {
  encoding?: 'utf-8' | 'utf-8-bom' | 'windows-1251';
  delimiter?: ',' | ';' | '\t';
}

export async function writeCsv(path: string, rows: Row[], o: WriteOptions = {}): Promise<void> {
  const text = Papa.unparse(rows, { delimiter: o.delimiter ?? ',', newline: '\r\n' }) + '\r\n';
  const bytes = o.encoding === 'windows-1251' ? iconv.encode(text, 'windows-1251') : Buffer.concat([o.encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  await writeFile(path, bytes);
  const old = new Date(Date.now() - 60_000);
  await utimes(path, old, old);
}

export function productRows(cat: GeneratedCatalog, patch: Map<number, { name?: string; deleted?: boolean }> = new Map()): Row[] {
  const rows: Row[] = [];
  for (const p0 of cat.products()) {
    const p = { ...p0, ...patch.get(p0.index) };
    rows.push({
      id: p.ref, code: p.code, sku: p.sku, name: p.name, full_name: p.fullName, group_id: p.groupRef, brand: p.brand, unit: cat.units.piece.name,
      unit_code: cat.units.piece.okei, barcodes: p.barcodes.join('|'), packs: p.packs.map((k) => `${k.ratio}=${k.name}`).join('|'),
      properties: p.properties.map((x) => `${x.name}=${x.value}`).join('|'), analogs: p.analogRefs.join('|'), pictures: p.pictures.join('|'),
      description: p.description, vat_rate: p.vatRate, deleted: p.deleted ? '1' : '0', version: String(p.versionNo),
    });
  }
  return rows;
}

/** The whole catalog as in/*.csv, with a mix of encodings and delimiters as different ERP exports produce. */
export async function writeCatalogFiles(cat: GeneratedCatalog, dir: string): Promise<void> {
  const inDir = join(dir, 'in');
  await mkdir(inDir, { recursive: true });
  const w = (name: string, rows: Row[], o?: WriteOptions) => writeCsv(join(inDir, name), rows, o);
  const whById = new Map(cat.warehouses.map((x) => [x.ref, x]));
  await w('groups.csv', cat.groups.map((g) => ({ id: g.ref, code: g.code, name: g.name, parent_id: g.parentRef ?? '' })), { encoding: 'utf-8-bom' });
  await w('products.csv', productRows(cat), { delimiter: ';' });
  await w('price-types.csv', cat.priceTypes.map((t) => ({ id: t.ref, code: t.code, name: t.name, currency: t.currency, vat_included: t.vatIncluded ? 'да' : 'нет' })), { delimiter: '\t' });
  await w('prices.csv', [...cat.prices()].map((p) => ({ product_id: p.productRef, price_type_id: p.priceTypeRef, price: p.price.replace('.', ','), currency: p.currency, valid_from: p.validFrom.slice(0, 10) })), { delimiter: ';' });
  await w('warehouses.csv', cat.warehouses.map((x) => ({ id: x.ref, code: x.code, name: x.name, city: x.city, address: x.address })));
  await w('stock.csv', [...cat.stock()].map((s) => ({
    product_id: s.productRef, warehouse_id: whById.get(s.warehouseRef)?.ref ?? s.warehouseRef, on_hand: s.onHand, reserved: s.reserved, available: s.available,
    expected_qty: s.expected?.qty ?? '', expected_date: s.expected?.date.slice(0, 10) ?? '',
  })));
  await w('customers.csv', cat.customers.map((c) => ({ id: c.ref, code: c.code, name: c.name, inn: c.inn, kpp: c.kpp ?? '', price_type_id: c.priceTypeRef })), { encoding: 'windows-1251' });
  await w('finance.csv', cat.finance.map((f) => ({
    customer_id: f.customerRef, currency: f.currency, debt: f.debt, overdue: f.overdue, overdue_days: String(f.overdueDays), credit_limit: f.creditLimit ?? '',
    credit_limit_enforced: f.creditLimitEnforced ? '1' : '0', payment_term_days: String(f.paymentTermDays), as_of: f.asOf,
  })));
  await w('documents.csv', cat.documents.map((d) => ({
    id: d.ref, kind: d.kind, number: d.number, date: d.date, customer_id: d.customerRef, amount: d.amount, currency: d.currency, order_id: d.orderRef,
    order_external_id: d.orderExternalId ?? '', posted: '1',
  })), { delimiter: ';', encoding: 'utf-8-bom' });
  // Pictures under the names products.csv gives; a PDF for two documents of three, named by the document id.
  await mkdir(join(dir, 'pictures'), { recursive: true });
  for (const p of cat.products()) {
    for (const [k, name] of p.pictures.entries()) await writeFile(join(dir, 'pictures', name), renderProductPicture(p.sku, p.kind, k));
  }
  await mkdir(join(dir, 'documents'), { recursive: true });
  for (const [i, d] of cat.documents.entries()) {
    if (i % 3 !== 2) await writeFile(join(dir, 'documents', `${fileSafe(d.ref)}.pdf`), renderDocumentPdf([`Document ${d.number}`, `Amount ${d.amount}`]));
  }
}

/** A drop folder that fails the way a network share does, driven by the shared fault controller. */
export function faultyFolder(inner: DropFolder, faults: ErpFaults): DropFolder {
  const gate = async (target: string, write: boolean) => {
    const slow = faults.take(target, ['slow']);
    if (slow?.delayMs) await new Promise((r) => setTimeout(r, slow.delayMs));
    const f = faults.take(target, TRANSPORT_FAULTS);
    if (f?.kind === 'down') throw new DropFolderError('unavailable', `share is not reachable (${target})`);
    if (f?.kind === 'auth') throw new DropFolderError('denied', `access denied (${target})`);
    if (f?.kind === 'rate-limit') throw new DropFolderError('busy', `share is busy (${target})`, (f.retryAfterSeconds ?? 5) * 1000);
    if (f?.kind === 'server-error') throw new DropFolderError('io', `I/O error (${target})`);
    if (write) {
      const v = faults.take(target, ['validation']);
      if (v) throw new DropFolderError('rejected', v.message ?? 'the ERP inbox refused the file');
    }
  };
  return {
    root: inner.root,
    list: async (a) => (await gate(`list ${a}/`, false), inner.list(a)),
    read: async (a, n) => (await gate(`read ${a}/${n}`, false), inner.read(a, n)),
    write: async (a, n, d) => (await gate(`write ${a}/${n}`, a === 'out'), inner.write(a, n, d)),
    move: async (a, n, b, m) => (await gate(`move ${a}/${n}`, false), inner.move(a, n, b, m)),
    exists: async (a, n) => (await gate(`stat ${a}/${n}`, false), inner.exists(a, n)),
    probe: async () => (await gate('probe /', false), inner.probe()),
  };
}

const RAW: Record<ErpOrderStatus, string> = {
  draft: 'Черновик', confirmed: 'Согласован', in_fulfilment: 'К обеспечению', invoiced: 'Выставлен счёт', paid: 'Оплачен', shipped: 'Отгружен',
  delivered: 'Доставлен', closed: 'Закрыт', cancelled: 'Отменён',
};

/** The ERP reads our orders from out/ (as its import would) and answers with order-states files. */
export function filesErp(cat: GeneratedCatalog, dir: string) {
  let seq = 0;
  const patch = new Map<number, { name?: string; deleted?: boolean }>();
  async function outOrders(externalId: string) {
    const names = (await readdir(join(dir, 'out'))).filter((n) => n.endsWith('.csv') && n.includes(`__${externalId}.`));
    const parsed = [];
    for (const n of names) {
      const text = (await readFile(join(dir, 'out', n), 'utf8')).replace(/^\uFEFF/, '');
      parsed.push(Papa.parse<Row>(text, { header: true, skipEmptyLines: true, delimiter: ';' }).data);
    }
    return parsed;
  }
  return {
    async findOrderByExternalId(externalId: string) {
      const copies = await outOrders(externalId);
      const first = copies[0];
      if (!first?.[0]) return null;
      return {
        erpId: externalId, number: first[0]['number'] ?? '', externalId, posted: false, rawStatus: 'в out/', copies: copies.length,
        lines: first.map((r) => ({ productId: r['product_id'] ?? '', qty: r['qty'] ?? '', price: r['price'] ?? '' })),
      };
    },
    async setOrderStatus(externalId: string, status: ErpOrderStatus) {
      const copies = await outOrders(externalId);
      const number = copies[0]?.[0]?.['number'] ?? '';
      seq += 1;
      await writeCsv(join(dir, 'in', `order-states-${String(seq).padStart(4, '0')}.csv`), [{
        external_id: externalId, erp_id: `ERP-${externalId.slice(0, 8)}`, number: number.replace('DH-', 'ЗК-'), status, raw_status: RAW[status],
        posted: status === 'draft' ? '0' : '1', updated_at: new Date().toISOString().slice(0, 19),
      }], { delimiter: ';' });
    },
    async updateProduct(index: number, p: { name?: string; deleted?: boolean }) {
      patch.set(index, { ...patch.get(index), ...p });
      await writeCsv(join(dir, 'in', 'products.csv'), productRows(cat, patch), { delimiter: ';' });
    },
  };
}
