import { describe, expect, it } from 'vitest';
import { upsertStatement } from '../../../server/erp/read-model/bulk-upsert.js';
import { fixScale } from '../../../server/erp/read-model/index.js';
import { clip, searchText } from '../../../server/erp/read-model/normalize.js';
import { literalFor, quoteMysql, quoteSqlite } from '../../../server/erp/read-model/sql-literal.js';

describe('fixScale (the stored form of money and quantities)', () => {
  it.each([
    ['123', 4, '123.0000'],
    ['123.4', 2, '123.40'],
    ['-0.5', 3, '-0.500'],
    ['0007.10', 2, '7.10'],
    ['-0', 2, '0.00'],
    ['-0.000', 3, '0.000'],
    ['1 234,5', 2, '1234.50'],
    ['12.345', 2, '12.35'],
    ['0.00005', 4, '0.0001'],
    ['1e3', 1, '1000.0'],
    [42, 3, '42.000'],
    ['5', 0, '5'],
  ])('when %j is stored at scale %i, then it reads %j', (input, scale, expected) => {
    expect(fixScale(input, scale)).toBe(expected);
  });

  it('when a value is not a number, then it is refused instead of becoming 0', () => {
    expect(() => fixScale('abc', 2)).toThrow(/not a decimal/);
    expect(() => fixScale('1.2.3', 2)).toThrow(/not a decimal/);
    expect(() => fixScale(Number.NaN, 2)).toThrow();
  });
});

describe('SQL literals for bulk statements', () => {
  it('when text carries quotes, backslashes and control characters, then MariaDB and SQLite literals escape them', () => {
    expect(quoteMysql("O'Brien \\ \"x\"\n\0")).toBe("'O\\'Brien \\\\ \\\"x\\\"\\n\\0'");
    expect(quoteMysql('Кабель ВВГнг')).toBe("'Кабель ВВГнг'");
    expect(quoteSqlite("O'Brien \\")).toBe("'O''Brien \\'");
    expect(quoteSqlite('a\0b')).toBe("'ab'");
  });

  it('when values of each type are rendered, then numbers, booleans, NULL and times come out as the dialect expects', () => {
    const my = literalFor('mysql');
    const lite = literalFor('sqlite');
    const at = new Date('2026-11-23T10:11:12.345Z');
    expect([my(null), my(undefined), my(true), my(false), my(12), my(at)]).toEqual(['NULL', 'NULL', '1', '0', '12', "'2026-11-23 10:11:12.345'"]);
    expect(lite(at)).toBe("'2026-11-23 10:11:12.345 +00:00'");
    expect(() => my(Number.POSITIVE_INFINITY)).toThrow(/finite/);
  });

  it('when an upsert statement is built, then identifiers are quoted and the conflict clause fits the dialect', () => {
    const spec = { table: 'erp_order_states', columns: ['portal_id', 'erp_id', 'lines'], key: ['portal_id', 'erp_id'], update: ['lines'] };
    expect(upsertStatement('mysql', spec).tail).toBe(' ON DUPLICATE KEY UPDATE `lines` = VALUES(`lines`)');
    expect(upsertStatement('sqlite', spec).tail).toBe(' ON CONFLICT (`portal_id`, `erp_id`) DO UPDATE SET `lines` = excluded.`lines`');
    expect(upsertStatement('mysql', { ...spec, update: [] }).tail).toBe(' ON DUPLICATE KEY UPDATE `portal_id` = `portal_id`');
    expect(upsertStatement('sqlite', { ...spec, update: [] }).tail).toBe(' ON CONFLICT (`portal_id`, `erp_id`) DO NOTHING');
    expect(upsertStatement('mysql', spec).head).toBe('INSERT INTO `erp_order_states` (`portal_id`, `erp_id`, `lines`) VALUES ');
  });

  it('when search text is built, then it is lower-case with ё folded and single spaces; long text is clipped to the column', () => {
    expect(searchText(['Пила  ЦЕПНАЯ', 'SKU-1', null, 'Ёлка'])).toBe('пила цепная sku-1 елка');
    expect(clip('абвгд', 3)).toBe('абв');
    expect(clip(undefined, 3)).toBeNull();
  });
});
