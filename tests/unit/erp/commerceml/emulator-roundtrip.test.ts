import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import type { InboundBatches, InboundEvent } from '../../../../server/erp/port.js';
import { createCmlContext } from '../../../../server/erp/onec-commerceml/cml-mappers.js';
import { parseCommerceMl } from '../../../../server/erp/onec-commerceml/parse-commerceml.js';
import { generateCatalog, toErpGroup, toErpPriceType, toErpWarehouse } from '../../../../sandbox/erp/catalog/index.js';
import { renderCommerceMl, type CmlEncoding, type CmlVersion } from '../../../../sandbox/erp/onec-commerceml/index.js';

/** What the 1C emulator writes is what the parser reads back: the generated catalog, in both versions and encodings. */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function roundTrip(version: CmlVersion, encoding: CmlEncoding) {
  const cat = generateCatalog({ seed: `rt-${version}-${encoding}`, skus: 150 });
  const dir = await mkdtemp(join(tmpdir(), 'dh-cml-rt-'));
  dirs.push(dir);
  const files = await renderCommerceMl(cat, dir, { version, encoding });
  const got = { groups: [], products: [], priceTypes: [], prices: [], warehouses: [], stock: [], orderStates: [] } as unknown as { [E in InboundEvent]: InboundBatches[E] };
  const context = createCmlContext();
  const formats: string[] = [];
  for (const f of files) {
    const s = await parseCommerceMl(f.path, async (e, items) => {
      (got[e] as unknown[]).push(...items);
    }, { context });
    formats.push(`${s.formatId}/${s.encoding}`);
  }
  return { cat, files, got, formats };
}

describe('CommerceML emulator files read back', () => {
  for (const [version, encoding] of [['2.10', 'utf-8'], ['3.1', 'windows-1251']] as const) {
    it(`when CML ${version} in ${encoding} is rendered from the catalog and parsed, then groups, products, price types, warehouses, prices and stock match`, async () => {
      const { cat, files, got, formats } = await roundTrip(version, encoding);
      expect(formats.every((f) => f === `commerceml-${version}/${encoding}`)).toBe(true);
      expect(files.map((f) => f.name.replace(/___.*\.xml$/, '.xml'))).toEqual(version === '2.10' ? ['import.xml', 'offers.xml'] : ['import.xml', 'goods/1/offers.xml', 'goods/1/prices.xml', 'goods/1/rests.xml']);
      // Text survives the encoding the way 1C's export leaves it (windows-1251 has no «³»).
      const lossy = (s: string) => (encoding === 'utf-8' ? s : iconv.decode(iconv.encode(s, 'windows-1251'), 'windows-1251'));
      expect(got.groups).toEqual(cat.groups.map(toErpGroup).map((g) => ({ ...g, ref: { erpId: g.ref.erpId } })));
      expect(got.priceTypes).toEqual(cat.priceTypes.map(toErpPriceType).map((t) => ({ ...t, ref: { erpId: t.ref.erpId } })));
      expect(got.warehouses.map((w) => [w.ref.erpId, w.name, w.city, w.address])).toEqual(cat.warehouses.map(toErpWarehouse).map((w) => [w.ref.erpId, w.name, w.city, w.address]));
      expect(got.products).toHaveLength(cat.productCount);
      for (const p of cat.products()) {
        const a = got.products[p.index];
        expect(a?.ref).toEqual({ erpId: p.ref, code: p.code });
        expect(a).toMatchObject({ sku: p.sku, name: p.name, fullName: p.fullName, brand: p.brand, description: p.description, vatRate: p.vatRate, deleted: p.deleted, groupRef: { erpId: p.groupRef } });
        expect(a?.baseUnit).toEqual({ code: '796', name: 'шт', ratio: '1' });
        expect((a?.barcodes ?? [])).toEqual(p.barcodes);
        expect((a?.packUnits ?? []).map((u) => [u.name, u.ratio, u.ref?.erpId])).toEqual(p.packs.map((k) => [k.name, k.ratio, k.ref]));
        expect((a?.properties ?? []).map((x) => [x.id, x.name, x.value])).toEqual(p.properties.map((x) => [x.propertyRef, lossy(x.name), lossy(x.value)]));
        expect(a?.pictures ?? []).toEqual(p.pictures.map((x) => `import_files/${x}`));
      }
      expect(got.prices).toHaveLength(cat.productCount * cat.priceTypes.length);
      const priceKey = (x: { productRef: { erpId: string }; priceTypeRef: { erpId: string }; price: string }) => `${x.productRef.erpId}|${x.priceTypeRef.erpId}|${Number(x.price).toFixed(2)}`;
      expect(new Set(got.prices.map(priceKey))).toEqual(new Set([...cat.prices()].map((x) => priceKey({ productRef: { erpId: x.productRef }, priceTypeRef: { erpId: x.priceTypeRef }, price: x.price }))));
      // CommerceML carries one quantity per warehouse: the free stock.
      expect(new Set(got.stock.map((s) => `${s.productRef.erpId}|${s.warehouseRef.erpId}|${s.available}`))).toEqual(new Set([...cat.stock()].map((s) => `${s.productRef}|${s.warehouseRef}|${s.available}`)));
    });
  }

  it('when a delta package is rendered, then it holds every tenth product and says СодержитТолькоИзменения', async () => {
    const cat = generateCatalog({ seed: 'rt-delta', skus: 95 });
    const dir = await mkdtemp(join(tmpdir(), 'dh-cml-rt-'));
    dirs.push(dir);
    const files = await renderCommerceMl(cat, dir, { version: '3.1', encoding: 'utf-8', delta: true });
    const products: string[] = [];
    const full: boolean[] = [];
    await parseCommerceMl(files[0]?.path as string, async (e, items, meta) => {
      if (e === 'products') products.push(...(items as InboundBatches['products']).map((p) => p.ref.erpId));
      full.push(meta.fullSnapshot);
    });
    expect(products).toEqual(Array.from({ length: 10 }, (_, k) => cat.productRef(k * 10)));
    expect(full.every((f) => f === false)).toBe(true);
  });
});
