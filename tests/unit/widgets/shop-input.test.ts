import { describe, expect, it } from 'vitest';
import { catalogQueryParams, type CatalogState } from '../../../widgets/src/pages/cabinet/shop/catalog-query.js';
import { baseUnits, convertQty, isWholeUnit, parseQtyInput } from '../../../widgets/src/pages/cabinet/shop/qty.js';
import { loadableUrl } from '../../../widgets/src/pages/cabinet/shop/picture-url.js';

/** The pure parts of the cabinet's shop screens: what a typed quantity becomes and what a catalog query sends. */
describe('quantity input', () => {
  it('when a person types a quantity with a comma, spaces or leading zeros, then the API gets a plain decimal', () => {
    expect(parseQtyInput('2,5')).toEqual({ qty: '2.5' });
    expect(parseQtyInput(' 1 000 ')).toEqual({ qty: '1000' });
    expect(parseQtyInput('007')).toEqual({ qty: '7' });
    expect(parseQtyInput('3.500')).toEqual({ qty: '3.5' });
    expect(parseQtyInput('0.125')).toEqual({ qty: '0.125' });
  });

  it('when the text is not a usable quantity, then the reason is given', () => {
    expect(parseQtyInput('')).toEqual({ problem: 'empty' });
    expect(parseQtyInput('abc')).toEqual({ problem: 'notNumber' });
    expect(parseQtyInput('-1')).toEqual({ problem: 'notNumber' });
    expect(parseQtyInput('0')).toEqual({ problem: 'zero' });
    expect(parseQtyInput('0,000')).toEqual({ problem: 'zero' });
    expect(parseQtyInput('1.2345')).toEqual({ problem: 'tooPrecise' });
    expect(parseQtyInput('2.5', { whole: true })).toEqual({ problem: 'notWhole' });
    expect(parseQtyInput('2.0', { whole: true })).toEqual({ qty: '2' });
  });

  it('when the unit is packs or countable pieces, then only whole quantities are allowed', () => {
    expect(isWholeUnit('pack', 'кг')).toBe(true);
    expect(isWholeUnit('base', 'шт')).toBe(true);
    expect(isWholeUnit('base', 'шт.')).toBe(true);
    expect(isWholeUnit('base', 'кг')).toBe(false);
    expect(isWholeUnit('base', 'м')).toBe(false);
  });

  it('when a line switches between pieces and packs, then the amount is kept, rounded up to whole packs', () => {
    expect(convertQty('24', 'base', 'pack', '12')).toBe('2');
    expect(convertQty('30', 'base', 'pack', '12')).toBe('3');
    expect(convertQty('5', 'base', 'pack', '12')).toBe('1');
    expect(convertQty('3', 'pack', 'base', '12')).toBe('36');
    expect(convertQty('3', 'pack', 'base', '0.5')).toBe('1.5');
    expect(convertQty('7', 'base', 'pack', null)).toBe('7');
    expect(baseUnits('2', 'pack', '2.5')).toBe('5');
    expect(baseUnits('2', 'base', '2.5')).toBe('2');
  });
});

describe('catalog query', () => {
  const base: CatalogState = { group: null, filters: {}, inStock: false, scope: '', sort: '', page: 1, pageSize: 50 };

  it('when nothing is chosen, then only paging is sent (the server sorts by name, or by relevance for a search)', () => {
    expect(catalogQueryParams(base, '')).toEqual({ page: 1, pageSize: 50 });
    expect(catalogQueryParams(base, '  насос ')).toEqual({ page: 1, pageSize: 50, q: 'насос' });
  });

  it('when group, facets, stock scope, in-stock and sort are chosen, then each becomes its API parameter', () => {
    const state: CatalogState = { group: 7, filters: { brand: ['MAY', 'Stiga'], weight: [] }, inStock: true, scope: 'city:Москва', sort: 'price:desc', page: 3, pageSize: 100 };
    expect(catalogQueryParams(state, '')).toEqual({ page: 3, pageSize: 100, group: 7, filters: { brand: ['MAY', 'Stiga'] }, inStock: 1, city: 'Москва', sort: 'price', dir: 'desc' });
    expect(catalogQueryParams({ ...base, scope: 'wh:12', sort: 'popularity:desc' }, '')).toMatchObject({ warehouse: 12, sort: 'popularity', dir: 'desc' });
  });

  it('when relevance is chosen without a search, then no sort is sent', () => {
    expect(catalogQueryParams({ ...base, sort: 'relevance' }, '')).not.toHaveProperty('sort');
    expect(catalogQueryParams({ ...base, sort: 'relevance' }, 'x')).toMatchObject({ sort: 'relevance' });
  });
});

describe('product pictures', () => {
  it('when the ERP gives a bare file name, then no picture is loaded; absolute and root paths are', () => {
    expect(loadableUrl('B18-002800E_1.jpg')).toBeNull();
    expect(loadableUrl(null)).toBeNull();
    expect(loadableUrl('https://cdn.example/p.jpg')).toBe('https://cdn.example/p.jpg');
    expect(loadableUrl('/api/catalog/pictures/1')).toBe('/api/catalog/pictures/1');
  });
});
