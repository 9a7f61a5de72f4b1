import { describe, expect, it } from 'vitest';
import { PriceColumn } from '../../../server/modules/catalog/price-table.js';

const type = { id: 1, erpId: 'pt', name: 'Дилерская A', currency: 'RUB' };

describe('price column', () => {
  it('when prices are stored, then they read back exactly, oversized ones as their own text, and the count follows', () => {
    const c = new PriceColumn(type, 4);
    c.set(0, '1234.5000', 'RUB');
    c.set(1, '0.0100', null);
    c.set(2, '99999999999999.9999', 'RUB');
    expect(c.text(0)).toBe('1234.5000');
    expect(c.scaled[0]).toBe(12_345_000);
    expect(c.text(1)).toBe('0.0100');
    expect(c.text(2)).toBe('99999999999999.9999');
    expect(Number.isNaN(c.scaled[2]!)).toBe(true);
    expect(c.text(3)).toBeNull();
    expect(c.has(3)).toBe(false);
    expect(c.count).toBe(3);
    c.set(0, '1.0000', 'USD');
    expect(c.count).toBe(3);
    expect(c.currency(0)).toBe('USD');
    expect(c.currency(1)).toBe('RUB');
  });

  it('when a reload holds the same prices, then it compares equal, and a single changed price makes it differ', () => {
    const a = new PriceColumn(type, 3);
    const b = new PriceColumn(type, 3);
    for (const c of [a, b]) {
      c.set(0, '10.0000', null);
      c.set(2, '20.5000', null);
    }
    expect(a.sameAs(b)).toBe(true);
    b.set(2, '20.5100', null);
    expect(a.sameAs(b)).toBe(false);
  });
});
