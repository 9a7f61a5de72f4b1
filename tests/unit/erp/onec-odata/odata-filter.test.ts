import { describe, expect, it } from 'vitest';
import { equalityHint, evaluate, FilterSyntaxError, parseFilter } from '../../../../sandbox/erp/onec-odata/index.js';

const row = {
  Ref_Key: 'f8c956ea-cdad-11e6-aede-5404a6b4b8ed',
  Description: "Нож O'Brien 46 см",
  Артикул: 'KN-000123',
  Количество: 52,
  Коэффициент: '10',
  Date: '2016-12-29T14:37:27',
  Posted: false,
  DeletionMark: false,
  Owner: '68c21ae9-cd73-11e6-aede-5404a6b4b8ed',
  Owner_Type: 'StandardODATA.Catalog_Номенклатура',
  Empty: null,
};
const match = (f: string, r: Record<string, unknown> = row) => evaluate(parseFilter(f), r);

describe('OData $filter parser and evaluator (emulators)', () => {
  it('when comparison operators are used, then numbers, text and dates compare by value', () => {
    expect(match('Количество eq 52')).toBe(true);
    expect(match('Количество ne 52')).toBe(false);
    expect(match('Количество gt 51 and Количество ge 52 and Количество lt 53 and Количество le 52')).toBe(true);
    expect(match("Коэффициент eq 10")).toBe(true);
    expect(match("Артикул eq 'KN-000123'")).toBe(true);
    expect(match("Date ge datetime'2016-12-29T00:00:00' and Date lt datetime'2016-12-30'")).toBe(true);
    expect(match("Date gt datetime'2016-12-29T14:37:27'")).toBe(false);
  });

  it('when and/or/not and parentheses combine, then precedence is or < and < not', () => {
    expect(match('Posted eq true or Количество eq 52 and DeletionMark eq false')).toBe(true);
    expect(match('(Posted eq true or Количество eq 52) and DeletionMark eq true')).toBe(false);
    expect(match('not Posted')).toBe(true);
    expect(match('not (Posted eq false)')).toBe(false);
    expect(match('not Posted eq true')).toBe(true);
  });

  it('when literals are typed, then guid, datetime, doubled quotes, booleans and null are understood', () => {
    expect(match("Ref_Key eq guid'F8C956EA-CDAD-11E6-AEDE-5404A6B4B8ED'")).toBe(true);
    expect(match("Description eq 'Нож O''Brien 46 см'")).toBe(true);
    expect(match('Posted eq false and DeletionMark eq false')).toBe(true);
    expect(match('Empty eq null and Description ne null')).toBe(true);
    expect(match("Owner eq cast(guid'68c21ae9-cd73-11e6-aede-5404a6b4b8ed', 'Catalog_Номенклатура')")).toBe(true);
    expect(match("Owner_Type eq 'StandardODATA.Catalog_Номенклатура'")).toBe(true);
  });

  it('when string functions are called, then substringof, startswith, endswith, tolower and length work', () => {
    expect(match("substringof('o''brien', Description)")).toBe(true);
    expect(match("substringof('[DealerHub:', Description)")).toBe(false);
    expect(match("startswith(Артикул, 'KN-') eq true")).toBe(true);
    expect(match("endswith(Артикул, '123')")).toBe(true);
    expect(match("tolower(Артикул) eq 'kn-000123'")).toBe(true);
    expect(match('length(Артикул) eq 9')).toBe(true);
    expect(match("year(Date) eq 2016 and month(Date) eq 12 and day(Date) eq 29")).toBe(true);
  });

  it('when v4 (D365) syntax is used, then bare GUIDs, dates, enums, contains and wildcards work', () => {
    const d = { dataAreaId: 'usmf', ItemNumber: 'LM-000001', Id: '5f0e1c2d-0000-4000-8000-000000000001', Modified: '2026-11-20T10:00:00Z', Blocked: 'No' };
    expect(evaluate(parseFilter('Id eq 5f0e1c2d-0000-4000-8000-000000000001'), d)).toBe(true);
    expect(evaluate(parseFilter('Modified ge 2026-11-20T00:00:00Z'), d)).toBe(true);
    expect(evaluate(parseFilter("Blocked eq Microsoft.Dynamics.DataEntities.NoYes'No'"), d)).toBe(true);
    expect(evaluate(parseFilter("contains(ItemNumber, '0001')"), d)).toBe(true);
    expect(evaluate(parseFilter("ItemNumber eq 'LM-*'"), d, { wildcardEq: true })).toBe(true);
    expect(evaluate(parseFilter("ItemNumber eq 'LM-*'"), d)).toBe(false);
  });

  it('when a filter is malformed, then a syntax error names the position', () => {
    expect(() => parseFilter("Артикул eq 'open")).toThrow(FilterSyntaxError);
    expect(() => parseFilter('(Posted eq true')).toThrow(/expected "\)"/);
    expect(() => parseFilter("Ref_Key eq guid'not-a-guid'")).toThrow(/bad guid/);
    expect(() => parseFilter('Posted eq true extra')).toThrow(/position 15/);
  });

  it('when a filter pins a key with eq/or, then the hint lists the values (and-ed conditions keep it)', () => {
    const f = parseFilter("(Ref_Key eq guid'aaaaaaaa-0000-0000-0000-000000000001' or Ref_Key eq guid'AAAAAAAA-0000-0000-0000-000000000002') and DeletionMark eq false");
    expect(equalityHint(f, 'Ref_Key')).toEqual(['aaaaaaaa-0000-0000-0000-000000000001', 'aaaaaaaa-0000-0000-0000-000000000002']);
    expect(equalityHint(parseFilter("Ref_Key eq guid'aaaaaaaa-0000-0000-0000-000000000001' or Posted eq true"), 'Ref_Key')).toBeNull();
    expect(equalityHint(parseFilter("Owner eq cast(guid'aaaaaaaa-0000-0000-0000-000000000001', 'Catalog_Номенклатура')"), 'Owner')).toEqual(['aaaaaaaa-0000-0000-0000-000000000001']);
  });
});
