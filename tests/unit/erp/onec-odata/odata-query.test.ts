import { describe, expect, it } from 'vitest';
import { equalityHint, parseFilter, evaluate } from '../../../../sandbox/erp/onec-odata/index.js';
import { onecQuery as q } from '../../../../server/erp/onec-odata/index.js';

const A = 'f8c956ea-cdad-11e6-aede-5404a6b4b8ed';

describe('1C OData v3 query builder', () => {
  it('when literals are built, then they follow v3 syntax and refuse what would break a filter', () => {
    expect(q.guidLit(A.toUpperCase())).toBe(`guid'${A}'`);
    expect(() => q.guidLit("x' or 1 eq 1")).toThrow(TypeError);
    expect(q.strLit("O'Brien")).toBe("'O''Brien'");
    expect(q.dateLit('2024-01-05')).toBe("datetime'2024-01-05T00:00:00'");
    expect(q.dateLit('2024-01-05T10:30')).toBe("datetime'2024-01-05T10:30:00'");
    expect(q.dateLit('2024-01-05 10:30:15')).toBe("datetime'2024-01-05T10:30:15'");
    expect(q.castLit(A, 'Catalog_Номенклатура')).toBe(`cast(guid'${A}', 'Catalog_Номенклатура')`);
  });

  it('when ids are many, then they are chunked by 20 and each chunk is an or-list the server reads back as those ids', () => {
    const ids = Array.from({ length: 45 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const chunks = q.chunk(ids);
    expect(chunks.map((c) => c.length)).toEqual([20, 20, 5]);
    const filter = q.and(q.anyGuid('Ref_Key', chunks[0] ?? []), 'DeletionMark eq false');
    expect(equalityHint(parseFilter(filter), 'Ref_Key')).toEqual(chunks[0]);
    expect(evaluate(parseFilter(filter), { Ref_Key: ids[3], DeletionMark: false })).toBe(true);
    expect(evaluate(parseFilter(filter), { Ref_Key: ids[30], DeletionMark: false })).toBe(false);
  });

  it('when virtual-table arguments carry a condition, then its quotes are doubled inside the argument', () => {
    const args = q.fnArgs({ Dimensions: 'Номенклатура,Склад', Condition: `Склад_Key eq guid'${A}'`, Period: '2024-02-01' });
    expect(args).toBe(`Dimensions='Номенклатура,Склад', Condition='Склад_Key eq guid''${A}''', Period=datetime'2024-02-01T00:00:00'`);
    expect(q.fnArgs({ Condition: undefined })).toBe('');
  });

  it('when a URL is built, then Cyrillic and spaces are percent-encoded as UTF-8 and OData punctuation stays readable', () => {
    const url = q.odataUrl(`AccumulationRegister_СвободныеОстатки/Balance(${q.fnArgs({ Dimensions: 'Номенклатура,Склад' })})`, {
      filter: `Склад_Key eq guid'${A}'`, select: ['Номенклатура_Key', 'ВНаличииBalance'], orderby: 'Номенклатура_Key', top: 100, skip: 200,
    });
    expect(url.startsWith('AccumulationRegister_%D0%A1%D0%B2%D0%BE%D0%B1')).toBe(true);
    expect(url).toContain("/Balance(Dimensions='%D0%9D");
    expect(url).toContain(',%D0%A1%D0%BA%D0%BB%D0%B0%D0%B4');
    expect(url).toContain(`$filter=%D0%A1%D0%BA%D0%BB%D0%B0%D0%B4_Key%20eq%20guid'${A}'`);
    expect(url).toContain('$top=100&$skip=200');
    expect(url).toContain('$format=json');
    expect(url).not.toContain('+');
    expect(decodeURIComponent(url)).toContain("Balance(Dimensions='Номенклатура,Склад')");
    expect(q.keyPath('Catalog_Номенклатура', A)).toBe(`Catalog_Номенклатура(guid'${A}')`);
  });
});
