import { escapeXml } from '../onec-commerceml/xml-text.js';
import { ARRAYS_NS, DATA_CONTRACT_NS, ENTITY_KEY_LIST_NS, ENTITY_KEY_NS, QUERY_CRITERIA_NS, documentNs } from './aif-namespaces.js';

/** Request fragments of AIF document services and of our custom services, built from templates with escaping. */

export interface Criterion {
  dataSource: string;
  field: string;
  operator: 'Equal' | 'NotEqual' | 'Greater' | 'GreaterOrEqual' | 'Less' | 'LessOrEqual' | 'Range';
  value1: string;
  value2?: string;
}

export function queryCriteria(elements: Criterion[]): string {
  return `<QueryCriteria xmlns="${QUERY_CRITERIA_NS}">`
    + elements.map((c) => `<CriteriaElement><DataSourceName>${escapeXml(c.dataSource)}</DataSourceName><FieldName>${escapeXml(c.field)}</FieldName><Operator>${c.operator}</Operator><Value1>${escapeXml(c.value1)}</Value1>${c.value2 !== undefined ? `<Value2>${escapeXml(c.value2)}</Value2>` : ''}</CriteriaElement>`).join('')
    + '</QueryCriteria>';
}

export function entityKeyList(field: string, values: string[]): string {
  return `<EntityKeyList xmlns="${ENTITY_KEY_LIST_NS}">`
    + values.map((v) => `<EntityKey xmlns="${ENTITY_KEY_NS}"><KeyData><KeyField><Field>${escapeXml(field)}</Field><Value>${escapeXml(v)}</Value></KeyField></KeyData></EntityKey>`).join('')
    + '</EntityKeyList>';
}

/** getChangedKeys(QueryCriteria, DateTime): AIF needs at least one document filter, so a criterion always goes along. */
export const changedKeysRequest = (criterion: Criterion, since: Date) => `${queryCriteria([criterion])}<DateTime>${since.toISOString()}</DateTime>`;

type ContractValue = string | number | boolean | string[] | null | undefined;

/**
 * A data contract argument of an X++ custom service (`_request`), serialized as WCF's DataContractSerializer does:
 * members in alphabetical order, lists of strings as Serialization/Arrays `string` items, null as i:nil.
 */
export function contractRequest(members: Record<string, ContractValue>): string {
  const body = Object.keys(members)
    .sort()
    .map((k) => {
      const v = members[k];
      if (v === undefined) return '';
      if (v === null) return `<b:${k} i:nil="true"/>`;
      if (Array.isArray(v)) return `<b:${k}>${v.map((x) => `<c:string>${escapeXml(x)}</c:string>`).join('')}</b:${k}>`;
      return `<b:${k}>${escapeXml(typeof v === 'boolean' ? (v ? 'Yes' : 'No') : v)}</b:${k}>`;
    })
    .join('');
  return `<_request xmlns:b="${DATA_CONTRACT_NS}" xmlns:c="${ARRAYS_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${body}</_request>`;
}

export interface SalesOrderLineInput {
  itemId: string;
  qty: string;
  price: string;
  unit?: string;
}

export interface SalesOrderInput {
  custAccount: string;
  currency: string;
  externalId: string;
  deliveryDate?: string;
  inventLocationId?: string;
  lines: SalesOrderLineInput[];
}

/** The SalesOrder document of SalesOrderService.create (shape of the MicrosoftDocs example, our external id in
 *  PurchOrderFormNum and CustomerRef so find can look it up). */
export function salesOrderDocument(o: SalesOrderInput): string {
  const f = (name: string, v: string | undefined) => (v ? `<${name}>${escapeXml(v)}</${name}>` : '');
  return `<SalesOrder xmlns="${documentNs('SalesOrder')}"><DocPurpose>Original</DocPurpose><SalesTable class="entity">`
    + f('CurrencyCode', o.currency) + f('CustAccount', o.custAccount) + f('CustomerRef', o.externalId) + f('DeliveryDate', o.deliveryDate)
    + f('InventLocationId', o.inventLocationId) + f('PurchOrderFormNum', o.externalId)
    + o.lines.map((l) => `<SalesLine class="entity">${f('ItemId', l.itemId)}${f('SalesPrice', l.price)}${f('SalesQty', l.qty)}${f('SalesUnit', l.unit)}</SalesLine>`).join('')
    + '</SalesTable></SalesOrder>';
}
