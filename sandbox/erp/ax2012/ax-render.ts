import type { AxSalesOrder, AxStore } from './ax-store.js';
import { axIds } from './ax-ids.js';

/** XML the emulated AIF services answer with (document shapes of AX 2012 AxdSalesOrder, AxdCustomer, AxdItem). */

export const esc = (v: string | number) => String(v).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
export const t = (name: string, v: string | number | undefined | null) => (v === undefined || v === null || v === '' ? '' : `<${name}>${esc(v)}</${name}>`);
export const nil = (prefix: string, name: string, v: string | number | undefined | null) =>
  v === undefined || v === null || v === '' ? `<${prefix}${name} i:nil="true"/>` : `<${prefix}${name}>${esc(v)}</${prefix}${name}>`;

export const NS = {
  docs: 'http://schemas.microsoft.com/dynamics/2008/01/documents',
  keyList: 'http://schemas.microsoft.com/dynamics/2006/02/documents/EntityKeyList',
  key: 'http://schemas.microsoft.com/dynamics/2006/02/documents/EntityKey',
  fault: 'http://schemas.microsoft.com/dynamics/2008/01/documents/Fault',
  contract: 'http://schemas.datacontract.org/2004/07/Dynamics.Ax.Application',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
};

export function entityKeyList(field: string, values: string[]): string {
  return `<EntityKeyList xmlns="${NS.keyList}">${values.map((v) => `<EntityKey xmlns="${NS.key}"><KeyData><KeyField><Field>${field}</Field><Value>${esc(v)}</Value></KeyField></KeyData></EntityKey>`).join('')}</EntityKeyList>`;
}

export function salesOrderDoc(store: AxStore, orders: AxSalesOrder[]): string {
  return `<SalesOrder xmlns="${NS.docs}/SalesOrder"><DocPurpose>Original</DocPurpose><SenderId>${esc(store.company)}</SenderId>${orders.map((o) => salesTable(o)).join('')}</SalesOrder>`;
}

function salesTable(o: AxSalesOrder): string {
  return '<SalesTable class="entity">'
    + t('CurrencyCode', o.currency) + t('CustAccount', o.custAccount) + t('CustomerRef', o.customerRef) + t('DeliveryDate', o.deliveryDate)
    + t('DocumentStatus', o.documentStatus) + t('InventLocationId', o.inventLocationId) + t('ModifiedDateTime', new Date(o.modifiedAt).toISOString().slice(0, 19) + 'Z')
    + t('PurchOrderFormNum', o.purchOrderFormNum) + t('RecId', o.recId) + t('RecVersion', o.recVersion) + t('SalesId', o.salesId) + t('SalesName', o.salesName)
    + t('SalesStatus', o.salesStatus)
    + o.lines.map((l) => `<SalesLine class="entity">${t('ItemId', l.itemId)}${t('LineAmount', l.amount)}${t('LineNum', `${l.lineNum}.00`)}${t('SalesPrice', l.price)}${t('SalesQty', l.qty)}${t('SalesStatus', o.salesStatus)}${t('SalesUnit', l.unit)}</SalesLine>`).join('')
    + '</SalesTable>';
}

export function customerDoc(store: AxStore, accounts: string[]): string {
  const rows = accounts.map((a) => store.customer(a)).filter((c): c is NonNullable<typeof c> => c !== undefined);
  return `<Customer xmlns="${NS.docs}/Customer"><DocPurpose>Original</DocPurpose><SenderId>${esc(store.company)}</SenderId>`
    + rows.map((c) => '<CustTable class="entity">'
      + t('AccountNum', axIds.customer(c)) + t('Blocked', 'No') + t('CreditMax', c.creditLimit ?? '0.00') + t('Currency', 'RUB') + t('CustGroup', c.isPerson ? 'IP' : 'DEALERS')
      + t('INN_RU', c.inn) + t('KPP_RU', c.kpp) + t('MandatoryCreditLimit', c.creditLimitEnforced ? 'Yes' : 'No') + t('PaymTermId', `D${c.paymentTermDays}`)
      + t('PriceGroup', store.priceGroupOf(c.priceTypeRef)) + t('RecId', 5637144600 + c.index) + t('RecVersion', 1)
      + `<DirParty xmlns:xsi="${NS.xsi}" xsi:type="${c.isPerson ? 'AxdEntity_DirParty_DirPerson' : 'AxdEntity_DirParty_DirOrganization'}" class="entity">`
      + t('LanguageId', 'ru') + t('Name', c.name) + t('NameAlias', c.fullName) + t('PartyNumber', c.code)
      + `<DirPartyPostalAddressView class="entity">${t('Address', c.address)}${t('City', c.city)}${t('CountryRegionId', 'RUS')}${t('IsPrimary', 'Yes')}</DirPartyPostalAddressView>`
      + '</DirParty></CustTable>').join('')
    + '</Customer>';
}

export function itemDoc(store: AxStore, indexes: number[]): string {
  const cat = store.catalog;
  return `<Item xmlns="${NS.docs}/Item"><DocPurpose>Original</DocPurpose><SenderId>${esc(store.company)}</SenderId>`
    + indexes.map((i) => {
      const p = store.item(i);
      const group = cat.groups.find((g) => g.ref === p.groupRef);
      return '<InventTable class="entity">'
        + t('ItemId', p.sku) + t('ItemType', 'Item') + t('NameAlias', p.sku) + t('Product', p.code) + t('RecId', 5637200000 + i) + t('RecVersion', p.recVersion)
        + t('SalesCategory', group ? axIds.category(group) : '')
        + `<EcoResProductTranslation class="entity">${t('Description', p.description)}${t('LanguageId', 'ru')}${t('Name', p.name)}</EcoResProductTranslation>`
        + p.barcodes.map((b) => `<InventItemBarcode class="entity">${t('BarcodeSetupId', 'EAN13')}${t('ItemBarCode', b)}${t('UseForPrinting', 'Yes')}</InventItemBarcode>`).join('')
        + `<InventItemSalesSetup class="entity">${t('Stopped', p.deleted ? 'Yes' : 'No')}</InventItemSalesSetup>`
        + `<InventTableModule class="entity">${t('ModuleType', 'Invent')}${t('UnitId', cat.units.piece.name)}</InventTableModule>`
        + `<InventTableModule class="entity">${t('ModuleType', 'Sales')}${t('TaxItemGroupId', `VAT${p.vatRate}`)}${t('UnitId', cat.units.piece.name)}</InventTableModule>`
        + '</InventTable>';
    }).join('')
    + '</Item>';
}

export function aifFault(messages: string[], soap12: boolean): string {
  const list = `<AifFault xmlns="${NS.fault}" xmlns:i="${NS.xsi}"><CustomDetailXml i:nil="true"/><FaultMessageListArray><ArrayOfFaultMessageList><FaultMessageList><Document i:nil="true"/><DocumentOperation i:nil="true"/><FaultMessageArray>`
    + messages.map((m) => `<FaultMessage><Code>Validation</Code><Message>${esc(m)}</Message></FaultMessage>`).join('')
    + '</FaultMessageArray></FaultMessageList></ArrayOfFaultMessageList></FaultMessageListArray></AifFault>';
  const reason = 'Request Failed. See the Exception Log for details.';
  return soap12
    ? `<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang="en-US">${reason}</s:Text></s:Reason><s:Detail>${list}</s:Detail></s:Fault>`
    : `<s:Fault><faultcode>s:Client</faultcode><faultstring xml:lang="en-US">${reason}</faultstring><detail>${list}</detail></s:Fault>`;
}
