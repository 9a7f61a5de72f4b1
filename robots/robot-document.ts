import type { SmartProcessKey } from '../installer/manifest.js';
import { isB24Error } from '../server/bitrix24/index.js';
import {
  installedSmartProcess,
  smartProcessKeyOf,
  syncDealerItem,
  type Dealer,
  type DealerLegalEntity,
  type InstalledSmartProcess,
} from '../server/modules/dealers/index.js';
import { RobotFailure, type RobotDocument, type RobotRun } from './robot.types.js';

/**
 * `document_id` of a smart-process item is `["crm", "Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic",
 * "DYNAMIC_<eTI>_<id>"]` (bizproc-robot-add.md, tutorials/bizproc/activity.md).
 */
export function parseRobotDocument(documentId: string[], settings: Record<string, unknown>): RobotDocument | null {
  const m = /^DYNAMIC_(\d+)_(\d+)$/.exec(String(documentId[2] ?? ''));
  if (!m) return null;
  const entityTypeId = Number(m[1]);
  return { entityTypeId, itemId: Number(m[2]), key: smartProcessKeyOf(settings, entityTypeId) };
}

export interface DocumentItem {
  key: SmartProcessKey;
  sp: InstalledSmartProcess;
  item: Record<string, unknown>;
}

/** The robot's document as a crm.item (app token); it must be one of the smart processes the robot is made for. */
export async function loadDocumentItem(run: RobotRun): Promise<DocumentItem> {
  const key = run.document.key;
  if (!key || !run.definition.documentTypes.includes(key)) {
    throw new RobotFailure(`this robot works on ${run.definition.documentTypes.join(', ')}, not on entity type ${run.document.entityTypeId}`);
  }
  const sp = installedSmartProcess(run.portal.settings, key)!;
  try {
    const got = await run.client.call<{ item?: Record<string, unknown> }>('crm.item.get', { entityTypeId: sp.entityTypeId, id: run.document.itemId });
    if (!got.item) throw new RobotFailure(`item ${run.document.itemId} was not found`);
    return { key, sp, item: got.item };
  } catch (err) {
    if (isB24Error(err) && err.kind === 'not_found') throw new RobotFailure(`item ${run.document.itemId} was not found`);
    throw err;
  }
}

/** The dealer an order or claim belongs to (parentId<dealersETI>), from the read model or synced now. */
export async function loadDocumentDealer(run: RobotRun, doc: DocumentItem): Promise<{ dealer: Dealer; legalEntities: DealerLegalEntity[] }> {
  const dealersSp = installedSmartProcess(run.portal.settings, 'dealers');
  const dealerItemId = dealersSp ? Number(doc.item[`parentId${dealersSp.entityTypeId}`]) : 0;
  if (!(dealerItemId > 0)) throw new RobotFailure(`${doc.key === 'orders' ? 'the order' : 'the claim'} is not linked to a dealer`);
  const dealer = await run.ctx.dealers.findByItemId(run.portal.id, dealerItemId);
  if (!dealer) {
    const synced = await syncDealerItem(run.ctx, run.portal.id, dealerItemId);
    if (synced.status !== 'upserted') throw new RobotFailure(`dealer ${dealerItemId} no longer exists`);
    return { dealer: synced.dealer, legalEntities: synced.legalEntities };
  }
  return { dealer, legalEntities: await run.ctx.dealers.legalEntities(run.portal.id, dealer.id) };
}

export const portalUrl = (run: RobotRun, path: string): string => `${run.portal.protocol}://${run.portal.domain}${path}`;

export const isRussian = (run: RobotRun): boolean => !String(run.portal.languageId ?? 'ru').toLowerCase().startsWith('en');

/** A short human name of the document: our number field when set, else the title, else #id. */
export function documentName(doc: DocumentItem): string {
  const numberKey = doc.key === 'orders' ? 'orderNumber' : doc.key === 'claims' ? 'claimNumber' : null;
  const restName = numberKey ? doc.sp.fields[numberKey]?.restName : undefined;
  const number = restName ? doc.item[restName] : null;
  if (typeof number === 'string' && number.trim()) return `№${number.trim()}`;
  const title = typeof doc.item.title === 'string' ? doc.item.title.trim() : '';
  return title || `#${String(doc.item.id)}`;
}
