import { describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../sandbox/erp/catalog/index.js';
import { renderMetadata } from '../../../../sandbox/erp/onec-odata/onec-metadata.js';
import { buildBp30Sources } from '../../../../sandbox/erp/onec-odata/onec-bp30-sources.js';
import { buildOnecSources } from '../../../../sandbox/erp/onec-odata/onec-sources.js';
import { createOnecState } from '../../../../sandbox/erp/onec-odata/onec-state.js';
import { ErpError } from '../../../../server/erp/port.js';
import { assertOnecProfile, checkOnecProfile, parseOnecMetadata, resolveOnecProfile, UT11_PROFILE, BP30_PROFILE, ERP2_PROFILE } from '../../../../server/erp/onec-odata/index.js';

const xml = renderMetadata(buildOnecSources(createOnecState(generateCatalog({ seed: 'meta', skus: 10 }))));

describe('1C $metadata check of a connector profile', () => {
  it('when the emulated УТ 11 metadata is parsed, then sets, types and tabular sections are known', () => {
    const meta = parseOnecMetadata(xml);
    expect(meta.sets.get('Catalog_Номенклатура')).toBe('Catalog_Номенклатура');
    expect(meta.types.get('Catalog_Номенклатура')?.has('ДополнительныеРеквизиты')).toBe(true);
    expect(meta.types.get('AccumulationRegister_СвободныеОстатки_RecordType')?.has('ВНаличии')).toBe(true);
    expect(meta.types.get('AccumulationRegister_СвободныеОстатки_Balance')?.has('ВНаличииBalance')).toBe(true);
  });

  it('when УТ 11 and ERP 2 profiles are checked against it, then nothing is missing', () => {
    const meta = parseOnecMetadata(xml);
    expect(checkOnecProfile(UT11_PROFILE, meta)).toEqual([]);
    expect(checkOnecProfile(ERP2_PROFILE, meta)).toEqual([]);
  });

  it('when the БП 3.0 profile or a renamed field is checked, then each problem names the set or field', () => {
    const meta = parseOnecMetadata(xml);
    const bp = checkOnecProfile(BP30_PROFILE, meta);
    expect(bp).toContain('entity set "Catalog_ТипыЦенНоменклатуры" is not published');
    expect(bp).toContain('register "AccountingRegister_Хозрасчетный" is not published');
    expect(bp).toContain('entity set "Document_СчетНаОплатуПокупателю" is not published');
    const custom = resolveOnecProfile({ base: 'ut11', products: { ...UT11_PROFILE.products, brand: 'Бренд_Key' } });
    expect(custom.id).toBe('custom-ut11');
    expect(checkOnecProfile(custom, meta)).toEqual(['field "Catalog_Номенклатура.Бренд_Key" is missing']);
    let err: unknown;
    try {
      assertOnecProfile(custom, meta);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ErpError);
    expect((err as ErpError).kind).toBe('validation');
    expect((err as ErpError).message).toContain('Бренд_Key');
  });

  it('when the emulator serves БП 3.0 names, then the БП profile fits and the УТ profile names what БП lacks', () => {
    const bp = parseOnecMetadata(renderMetadata(buildBp30Sources(createOnecState(generateCatalog({ seed: 'meta', skus: 10 })))));
    expect(checkOnecProfile(BP30_PROFILE, bp)).toEqual([]);
    expect(bp.types.get('AccountingRegister_Хозрасчетный_Balance')?.has('КоличествоBalance')).toBe(true);
    const ut = checkOnecProfile(UT11_PROFILE, bp);
    expect(ut).toContain('entity set "Catalog_Партнеры" is not published');
    expect(ut).toContain('entity set "Document_ЗаказКлиента" is not published');
    expect(ut).toContain('field "Catalog_Номенклатура.СтавкаНДС" is missing');
  });

  it('when the answer is not EDMX, then the check fails clearly', () => {
    expect(() => parseOnecMetadata('<html><body>Service Unavailable</body></html>')).toThrow(/no EDMX schema/);
  });
});
