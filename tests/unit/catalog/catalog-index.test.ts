import { describe, expect, it } from 'vitest';
import { CatalogIndex, type CatalogProductInput } from '../../../server/modules/catalog/catalog-index.js';

const groups = [
  { id: 1, name: 'Садовая техника', parentId: null },
  { id: 2, name: 'Газонокосилки', parentId: 1 },
  { id: 3, name: 'Триммеры', parentId: 1 },
  { id: 4, name: 'Запчасти', parentId: null },
];
const warehouses = [
  { id: 10, name: 'Москва, Южный', city: 'Москва' },
  { id: 11, name: 'Москва, Северный', city: 'Москва' },
  { id: 12, name: 'Екатеринбург', city: 'Екатеринбург' },
];
let id = 100;
const product = (p: Partial<CatalogProductInput>): CatalogProductInput => ({
  id: id++, erpId: `e${id}`, sku: `SKU-${id}`, name: `Товар ${id}`, brand: null, groupId: null, unit: 'шт', packRatio: null,
  properties: [], barcodes: [], analogIds: [], pictures: [], onSale: true, popularity: 0, ...p,
});

function build() {
  const products = [
    product({ name: 'Газонокосилка A', brand: 'Stiga', groupId: 2, popularity: 0.9, properties: [{ id: 'power', name: 'Мощность', value: '1.5 кВт' }, { id: 'drive', name: 'Привод', value: 'бензин' }] }),
    product({ name: 'Газонокосилка B', brand: 'Stiga', groupId: 2, popularity: 0.2, properties: [{ id: 'power', name: 'Мощность', value: '2 кВт' }, { id: 'drive', name: 'Привод', value: 'бензин' }] }),
    product({ name: 'Газонокосилка C', brand: 'Makita', groupId: 2, popularity: 0.5, properties: [{ id: 'power', name: 'Мощность', value: '1.5 кВт' }, { id: 'drive', name: 'Привод', value: 'электро' }] }),
    product({ name: 'Триммер D', brand: 'Makita', groupId: 3, properties: [{ id: 'power', name: 'Мощность', value: '1 кВт' }] }),
    product({ name: 'Нож E', brand: 'Stiga', groupId: 4 }),
    product({ name: 'Снятая F', brand: 'Stiga', groupId: 2, onSale: false }),
  ];
  const index = new CatalogIndex({ products, groups, warehouses });
  index.setStock([
    { productId: products[0]!.id, warehouseId: 10, available: 5 },
    { productId: products[0]!.id, warehouseId: 12, available: 2 },
    { productId: products[1]!.id, warehouseId: 12, available: 9 },
    { productId: products[3]!.id, warehouseId: 11, available: 1 },
  ]);
  return { index, products };
}

const names = (index: CatalogIndex, page: { items: { slot: number }[] }) => page.items.map((i) => index.products[i.slot]!.name);

describe('catalog index', () => {
  it('when a group is chosen, then its whole subtree is listed, without goods not on sale, with counts in the tree', () => {
    const { index } = build();
    expect(names(index, index.query({ groupId: 1 }))).toEqual(['Газонокосилка A', 'Газонокосилка B', 'Газонокосилка C', 'Триммер D']);
    const tree = index.groupTree();
    expect(tree.map((g) => [g.name, g.productCount])).toEqual([['Запчасти', 1], ['Садовая техника', 4]]);
    expect(tree[1]!.children.map((g) => [g.name, g.productCount])).toEqual([['Газонокосилки', 3], ['Триммеры', 1]]);
  });

  it('when filters are chosen, then results narrow and each facet counts against the other filters only', () => {
    const { index } = build();
    const page = index.query({ groupId: 2, filters: { brand: ['Stiga'] } });
    expect(names(index, page)).toEqual(['Газонокосилка A', 'Газонокосилка B']);
    const brand = page.facets.find((f) => f.id === 'brand')!;
    expect(brand.values).toEqual([{ value: 'Stiga', count: 2, selected: true }, { value: 'Makita', count: 1, selected: false }]);
    const power = page.facets.find((f) => f.id === 'power')!;
    expect(power.values.map((v) => [v.value, v.count])).toEqual([['1.5 кВт', 1], ['2 кВт', 1]]);
    const narrowed = index.query({ groupId: 2, filters: { brand: ['Stiga'], power: ['1.5 кВт'] } });
    expect(names(index, narrowed)).toEqual(['Газонокосилка A']);
    expect(narrowed.facets.find((f) => f.id === 'brand')!.values.map((v) => [v.value, v.count])).toEqual([['Makita', 1], ['Stiga', 1]]);
  });

  it('when in-stock-only is asked per city or warehouse, then stock is summed in that scope', () => {
    const { index } = build();
    expect(names(index, index.query({ groupId: 1, inStockOnly: true }))).toEqual(['Газонокосилка A', 'Газонокосилка B', 'Триммер D']);
    const moscow = index.query({ groupId: 1, inStockOnly: true, city: 'Москва' });
    expect(moscow.items.map((i) => [index.products[i.slot]!.name, i.available])).toEqual([['Газонокосилка A', 5], ['Триммер D', 1]]);
    expect(names(index, index.query({ groupId: 1, inStockOnly: true, warehouseId: 12 }))).toEqual(['Газонокосилка A', 'Газонокосилка B']);
  });

  it('when sorted by price, popularity or availability, then the order follows, both directions', () => {
    const { index, products } = build();
    const prices = new Map([[products[0]!.id, 300], [products[1]!.id, 100], [products[2]!.id, 200]]);
    const priceForSlot = (slot: number) => prices.get(index.products[slot]!.id) ?? 0;
    expect(names(index, index.query({ groupId: 2, sort: 'price', priceForSlot }))).toEqual(['Газонокосилка B', 'Газонокосилка C', 'Газонокосилка A']);
    expect(names(index, index.query({ groupId: 2, sort: 'price', dir: 'desc', priceForSlot }))).toEqual(['Газонокосилка A', 'Газонокосилка C', 'Газонокосилка B']);
    expect(names(index, index.query({ groupId: 2, sort: 'popularity' }))).toEqual(['Газонокосилка A', 'Газонокосилка C', 'Газонокосилка B']);
    expect(names(index, index.query({ groupId: 2, sort: 'availability' }))[0]).toBe('Газонокосилка B');
  });

  it('when search hits are given, then only they are listed, in relevance order, within the chosen group', () => {
    const { index, products } = build();
    const hits = [products[4]!.id, products[2]!.id, products[0]!.id];
    expect(names(index, index.query({ productIds: hits }))).toEqual(['Нож E', 'Газонокосилка C', 'Газонокосилка A']);
    expect(names(index, index.query({ productIds: hits, groupId: 2 }))).toEqual(['Газонокосилка C', 'Газонокосилка A']);
  });

  it('when paging, then offset and limit cut the sorted list and total counts all matches', () => {
    const { index } = build();
    const page = index.query({ groupId: 1, offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(names(index, page)).toEqual(['Газонокосилка B', 'Газонокосилка C']);
  });
});
