import type { AppContext } from '../../server/context.js';
import type { RequestScope } from '../../server/modules/access/index.js';
import { installedSmartProcess, itemCardPath, type DealerUser } from '../../server/modules/dealers/index.js';
import { dateOf, enumFieldOf, idOf, stageInfo, textOf, type Lang, type StageInfo } from './card-fields.js';
import { cardDealerOf, legalEntityOf, loadScopedItem, type CardDealer, type CardLegalEntity } from './read-order-card.js';
import { readProductRows, totalsOf, type LinesTotals, type ProductLine } from './read-product-rows.js';

export interface ClaimCard {
  claim: {
    id: number;
    title: string;
    number: string | null;
    stage: StageInfo;
    dealer: CardDealer | null;
    legalEntity: CardLegalEntity | null;
    product: { sku: string | null; name: string | null; serialNumber: string | null };
    purchase: { document: string | null; date: string | null };
    defect: string | null;
    resolution: { key: string; label: string } | null;
    erpNumber: string | null;
    order: { id: number; cardPath: string } | null;
    currency: string;
    createdTime: string | null;
    cardPath: string;
  };
  lines: ProductLine[];
  totals: LinesTotals;
}

/** The claim tab: the claim's product, serial, purchase document, defect, resolution and its lines (works and parts). */
export async function readClaimCard(ctx: AppContext, scope: RequestScope, dealerUser: DealerUser | null, claimId: number): Promise<ClaimCard> {
  const lang = scope.session.lang === 'en' ? 'en' : ('ru' as Lang);
  const loaded = await loadScopedItem(ctx, scope, dealerUser, 'claims', claimId);
  const { item, sp } = loaded;
  const client = ctx.b24.forPortal(scope.portal.id);
  const orders = installedSmartProcess(scope.portal.settings, 'orders');
  const orderId = orders ? idOf(item[`parentId${orders.entityTypeId}`]) : null;
  const [lines, legalEntity, resolution] = await Promise.all([
    readProductRows(client, sp.entityTypeId, claimId),
    legalEntityOf(client, loaded.companyId, loaded.legalEntities),
    enumFieldOf(client, scope.portal.id, 'claims', sp, item, 'resolution', lang),
  ]);
  return {
    claim: {
      id: claimId,
      title: String(item.title ?? ''),
      number: textOf(item, sp, 'claimNumber'),
      stage: stageInfo('claims', sp, item.stageId, lang),
      dealer: cardDealerOf(loaded),
      legalEntity,
      product: { sku: textOf(item, sp, 'productSku'), name: textOf(item, sp, 'productName'), serialNumber: textOf(item, sp, 'serialNumber') },
      purchase: { document: textOf(item, sp, 'purchaseDocument'), date: dateOf(sp.fields.purchaseDate ? item[sp.fields.purchaseDate.restName] : null) },
      defect: textOf(item, sp, 'defect'),
      resolution,
      erpNumber: textOf(item, sp, 'erpNumber'),
      order: orders && orderId ? { id: orderId, cardPath: itemCardPath(orders.entityTypeId, orderId) } : null,
      currency: String(item.currencyId || loaded.dealer?.currency || 'RUB'),
      createdTime: dateOf(item.createdTime),
      cardPath: itemCardPath(sp.entityTypeId, claimId),
    },
    lines,
    totals: totalsOf(lines),
  };
}
