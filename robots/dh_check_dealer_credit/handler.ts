import { createErpCustomersRepository, decimalOrNull, erpIdsOf, summarizeFinance } from '../../server/modules/dealers/index.js';
import { isRussian, loadDocumentDealer, loadDocumentItem } from '../robot-document.js';
import { outcome, RobotFailure, type RobotHandler } from '../robot.types.js';
import { evaluateCredit } from './evaluate-credit.js';

/**
 * dh_check_dealer_credit: the order's total (its `opportunity`) against the dealer's credit limit minus the ERP debt,
 * and the overdue against the dealer's blocking rules. Answers ok / blocked with the reason and availableCredit, and
 * writes the verdict into the order's creditCheck field so managers see it in the card.
 */
export const checkDealerCredit: RobotHandler = async (run) => {
  const doc = await loadDocumentItem(run);
  const { dealer, legalEntities } = await loadDocumentDealer(run, doc);
  const total = decimalOrNull(doc.item.opportunity);
  if (total === null) throw new RobotFailure('the order has no total (opportunity)');
  const rows = await createErpCustomersRepository(run.ctx.db.sequelize).finance(run.portal.id, erpIdsOf(dealer, legalEntities));
  const finance = summarizeFinance(dealer, legalEntities, rows);
  const verdict = evaluateCredit({ orderTotal: total, orderCurrency: String(doc.item.currencyId ?? dealer.currency), dealer, finance }, isRussian(run) ? 'ru' : 'en');

  const field = doc.sp.fields.creditCheck?.restName;
  if (field) {
    const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const text = `${verdict.result}: ${verdict.message} (${stamp} UTC)`.slice(0, 255);
    await run.client.call('crm.item.update', { entityTypeId: doc.sp.entityTypeId, id: run.document.itemId, fields: { [field]: text } });
  }
  return outcome(verdict.result, verdict.message, { availableCredit: verdict.availableCredit });
};
