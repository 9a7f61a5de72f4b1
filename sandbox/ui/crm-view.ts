import type { PortalRuntime } from '../core/runtime.js';
import type { FieldSpec } from '../crm/item-specs.js';
import { stagesOf } from '../crm/stages.js';
import { findItemType } from '../crm/type-model.js';
import { asList } from '../crm/values.js';
import type { SandboxStore } from '../store/store.js';
import type { SItem, SStatus } from '../store/types.js';
import { h, type Html } from './html.js';
import { formatDate, formatDateTime, formatMoney, userLink } from './view.js';

/** Where CRM objects live in the portal's pages and how their values read to a person. */

export function itemBasePath(entityTypeId: number): string {
  if (entityTypeId === 2) return '/crm/deal';
  if (entityTypeId === 1) return '/crm/lead';
  return `/crm/type/${entityTypeId}`;
}

export function entityUrl(entityTypeId: number, id: number): string {
  if (entityTypeId === 4) return `/crm/company/details/${id}/`;
  if (entityTypeId === 3) return `/crm/contact/details/${id}/`;
  return `${itemBasePath(entityTypeId)}/details/${id}/`;
}

/** The card's tab placement (widgets/crm/detail-tab.md). */
export function detailTabPlacement(entityTypeId: number): string {
  const fixed: Record<number, string> = { 1: 'CRM_LEAD_DETAIL_TAB', 2: 'CRM_DEAL_DETAIL_TAB', 3: 'CRM_CONTACT_DETAIL_TAB', 4: 'CRM_COMPANY_DETAIL_TAB' };
  return fixed[entityTypeId] ?? `CRM_DYNAMIC_${entityTypeId}_DETAIL_TAB`;
}

export function contactName(fields: Record<string, unknown>): string {
  return [fields.LAST_NAME, fields.NAME, fields.SECOND_NAME].filter((v) => typeof v === 'string' && v).join(' ') || `Контакт`;
}

export function entityTitle(store: SandboxStore, entityTypeId: number, id: number): string | null {
  if (entityTypeId === 4) {
    const c = store.companies.get(id);
    return c ? String(c.fields.TITLE ?? `Компания #${id}`) : null;
  }
  if (entityTypeId === 3) {
    const c = store.contacts.get(id);
    return c ? contactName(c.fields) : null;
  }
  const item = store.items.get(`${entityTypeId}:${id}`);
  return item ? String(item.fields.title ?? `#${id}`) : null;
}

export function entityLink(store: SandboxStore, entityTypeId: number, id: unknown): Html {
  const n = Number(id);
  if (!Number.isInteger(n) || n <= 0) return h`<span class="muted">—</span>`;
  const title = entityTitle(store, entityTypeId, n);
  return title === null ? h`<span class="muted">#${n}</span>` : h`<a href="${entityUrl(entityTypeId, n)}">${title}</a>`;
}

/** The stages of the pipeline an item is in. */
export function itemStages(rt: PortalRuntime, item: SItem): SStatus[] {
  const model = findItemType(rt.store, item.entityTypeId);
  if (!model) return [];
  return stagesOf(rt.store, model.stageEntityId(Number(item.fields.categoryId ?? 0)));
}

const CRM_PREFIXES: Record<string, number> = { L: 1, D: 2, C: 3, CO: 4 };

/** `crm` user field values: `CO_12`, `T9c_5` or a bare id of the only allowed type (userfieldconfig settings). */
function crmUfLink(store: SandboxStore, value: unknown, settings: Record<string, unknown> | undefined): Html {
  const s = String(value);
  const m = /^([A-Z]+|T[0-9a-f]+)_(\d+)$/i.exec(s);
  if (m) {
    const code = (m[1] as string).toUpperCase();
    const eti = CRM_PREFIXES[code] ?? (code.startsWith('T') ? parseInt(code.slice(1), 16) : NaN);
    return Number.isFinite(eti) ? entityLink(store, eti, Number(m[2])) : h`${s}`;
  }
  const allowed = Object.entries(settings ?? {}).filter(([, v]) => v === 'Y').map(([k]) => k);
  const byName: Record<string, number> = { LEAD: 1, DEAL: 2, CONTACT: 3, COMPANY: 4 };
  const only = allowed.length === 1 ? (byName[allowed[0] as string] ?? Number((allowed[0] as string).replace(/^DYNAMIC_/, ''))) : NaN;
  return Number.isFinite(only) ? entityLink(store, only, Number(s)) : h`${s}`;
}

/** One value of a field as the card shows it. */
export function renderFieldValue(rt: PortalRuntime, field: Pick<FieldSpec, 'type' | 'isMultiple' | 'items' | 'settings' | 'statusType'>, value: unknown): Html {
  const { store } = rt;
  const one = (v: unknown): Html => {
    if (v === null || v === undefined || v === '') return h``;
    switch (field.type) {
      case 'user':
      case 'employee':
        return userLink(store, v);
      case 'crm_company':
        return entityLink(store, 4, v);
      case 'crm_contact':
        return entityLink(store, 3, v);
      case 'crm_deal':
        return entityLink(store, 2, v);
      case 'crm_lead':
        return entityLink(store, 1, v);
      case 'crm_entity':
        return entityLink(store, Number((field.settings ?? {}).parentEntityTypeId), v);
      case 'crm':
        return crmUfLink(store, v, field.settings);
      case 'crm_status': {
        const s = store.statuses.find((x) => x.STATUS_ID === v && (!field.statusType || x.ENTITY_ID === field.statusType));
        return h`${s?.NAME ?? String(v)}`;
      }
      case 'crm_category': {
        const c = store.categories.find((x) => x.id === Number(v));
        return h`${c?.name ?? String(v)}`;
      }
      case 'boolean':
        return h`${v === 'Y' || v === true || v === 1 || v === '1' ? 'Да' : 'Нет'}`;
      case 'date':
        return h`${formatDate(v)}`;
      case 'datetime':
        return h`${formatDateTime(v)}`;
      case 'money': {
        const [amount, currency] = String(v).split('|');
        return h`${formatMoney(Number(amount), currency)}`;
      }
      case 'enumeration': {
        const item = (field.items ?? []).find((e) => Number(e.ID) === Number(v));
        return h`${item ? String(item.VALUE) : String(v)}`;
      }
      case 'file': {
        const f = (v ?? {}) as { name?: string; id?: number };
        return h`📎 ${f.name ?? `файл #${f.id ?? ''}`}`;
      }
      case 'url':
        return /^https?:\/\//.test(String(v)) ? h`<a href="${String(v)}" target="_blank" rel="noopener">${String(v)}</a>` : h`${String(v)}`;
      default:
        return h`${typeof v === 'object' ? JSON.stringify(v) : String(v)}`;
    }
  };
  if (field.isMultiple) {
    const list = asList(value).filter((v) => v !== null && v !== undefined && v !== '');
    return h`${list.map((v, i) => h`${i > 0 ? ', ' : ''}${one(v)}`)}`;
  }
  if (field.type === 'boolean' && (value === null || value === undefined)) return h``;
  return one(value);
}

/** A labelled field row; empty values show a grey dash. */
export function fieldRow(label: string, value: Html, key?: string): Html {
  const empty = value.value.trim() === '';
  return h`<div class="field"${key ? h` data-field="${key}"` : ''}><label>${label}</label><div class="value${empty ? ' empty-value' : ''}">${empty ? 'не заполнено' : value}</div></div>`;
}
