import { describe, expect, it } from 'vitest';
import { camelToUpper, ufNameMap, ufToCamel, upperToCamel } from '../../../sandbox/crm/uf-names.js';

describe('user field names in crm.item.* (crm/universal/index.md §Field Naming Conventions)', () => {
  it('when the suffix is letters only or digits only, then the regular conversion applies', () => {
    expect(ufToCamel('UF_CRM_3_DIGIT')).toBe('ufCrm3Digit');
    expect(ufToCamel('UF_CRM_10_DEALER_CODE')).toBe('ufCrm10DealerCode');
    expect(ufToCamel('UF_CRM_3_1747309727')).toBe('ufCrm3_1747309727');
    expect(ufToCamel('UF_CRM_10_5186744711')).toBe('ufCrm10_5186744711');
  });

  it('when letters and digits mix or there is no type id, then the simplified conversion applies', () => {
    expect(ufToCamel('UF_CRM_3_DIGIT10')).toBe('ufCrm_3_DIGIT10');
    expect(ufToCamel('UF_CRM_3_DIGIT_10')).toBe('ufCrm_3_DIGIT_10');
    expect(ufToCamel('UF_CRM_1747309879')).toBe('ufCrm_1747309879');
  });

  it('when the names of a type are mapped, then each gets its own REST name and a clash keeps UPPER_CASE', () => {
    const map = ufNameMap(['UF_CRM_5_AB_C', 'UF_CRM_5_A_BC', 'UF_CRM_5_X']);
    expect([...map.values()]).toEqual(['ufCrm5AbC', 'ufCrm5ABc', 'ufCrm5X']);
    // Only a second field with the same converted name can clash; both then stay as stored.
    expect([...ufNameMap(['UF_CRM_5_X', 'UF_CRM_5_X']).values()]).toEqual(['UF_CRM_5_X']);
  });

  it('when system fields convert, then UPPER_SNAKE and camelCase round-trip', () => {
    expect(upperToCamel('ASSIGNED_BY_ID')).toBe('assignedById');
    expect(camelToUpper('assignedById')).toBe('ASSIGNED_BY_ID');
    expect(camelToUpper('parentId1220')).toBe('PARENT_ID_1220');
  });
});
