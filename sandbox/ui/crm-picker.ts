import type { PortalRuntime } from '../core/runtime.js';
import type { PickerCrmEntity } from './frame-protocol.js';

/**
 * What BX24.selectCRM offers (sdk/bx24-js-sdk/system-dialogues/bx24-select-crm.md; SDK frame/dialog.ts types):
 * per entity type a list of `{id: 'CO_7', type, place, title, desc, url, image?}`. The portal's dialog lets the person
 * pick; the SDK receives the buckets.
 */
export type CrmPickerType = 'lead' | 'contact' | 'company' | 'deal' | 'quote';

const LIMIT = 200;

export function crmPickerOptions(rt: PortalRuntime, types: string[]): Partial<Record<CrmPickerType, PickerCrmEntity[]>> {
  const { store } = rt;
  const out: Partial<Record<CrmPickerType, PickerCrmEntity[]>> = {};
  const want = new Set(types.map((t) => t.toLowerCase()));
  if (want.has('company')) {
    out.company = store.companies.all().slice(-LIMIT).map((c) => ({
      id: `CO_${c.ID}`, type: 'company', place: 'company', title: String(c.fields.TITLE ?? ''), desc: String(c.fields.ADDRESS_CITY ?? ''), url: `/crm/company/details/${c.ID}/`, image: '',
    }));
  }
  if (want.has('contact')) {
    out.contact = store.contacts.all().slice(-LIMIT).map((c) => ({
      id: `C_${c.ID}`, type: 'contact', place: 'contact', title: `${String(c.fields.NAME ?? '')} ${String(c.fields.LAST_NAME ?? '')}`.trim(), desc: String(c.fields.POST ?? ''), url: `/crm/contact/details/${c.ID}/`, image: '',
    }));
  }
  for (const [type, eti, prefix, path] of [['deal', 2, 'D', 'deal'], ['lead', 1, 'L', 'lead']] as const) {
    if (!want.has(type)) continue;
    out[type] = store.items.filter((i) => i.entityTypeId === eti).slice(-LIMIT).map((i) => ({
      id: `${prefix}_${i.id}`, type, place: type, title: String(i.fields.title ?? ''), desc: '', url: `/crm/${path}/details/${i.id}/`,
    }));
  }
  if (want.has('quote')) out.quote = [];
  return out;
}
