import { Box } from '@mui/material';
import type { DealerCard, DealerSummary } from '../../../api/types.js';
import { useApi } from '../../../api/use-api.js';
import { Section } from '../../../components/section.js';
import { LegalEntitiesTable } from '../../../components/legal-entities-table.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import type { CheckoutPreview } from '../cabinet-types.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';
import { CreditPanel, type CreditFigures } from './credit-panel.js';
import { ManagerCard } from './manager-card.js';
import { NotificationSettingsSection } from './notification-settings.js';
import { OffersBanner } from './offers-banner.js';
import { OpenOrders } from './open-orders.js';

/**
 * The dealer's dashboard: promotions, credit (debt, overdue, limit), open orders, the personal manager and the
 * user's notification settings. Finance comes from the dealer card for those who may read it (head, accountant,
 * staff), else from the checkout's credit check (a buyer sees what decides whether their order passes).
 */
export function DealerHome({ dealer }: { dealer: DealerSummary }) {
  const { t } = useI18n();
  const { scope, companyId, cartVersion } = useCabinet();
  const { home, caps } = useCabinetShell();
  const card = useApi<DealerCard>(`/dealers/${dealer.itemId}`);
  const needsCheck = caps.canOrder && card.data !== undefined && !card.data.finance;
  const check = useApi<CheckoutPreview>(needsCheck ? '/checkout' : null, { ...scope.cart, ...(companyId ? { companyId } : {}), v: cartVersion });
  const summary = card.data?.dealer ?? dealer;
  const figures = figuresOf(summary, card.data?.finance ?? null, needsCheck ? (check.data ?? null) : null);
  return (
    <>
      <OffersBanner />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, gap: 1.5, alignItems: 'start' }}>
        <Box>
          <Section title={t('cab.home.credit')} testId="home-credit">
            {card.loading && !card.data ? null : <CreditPanel figures={figures} />}
          </Section>
          <OpenOrders />
        </Box>
        <Box>
          <ManagerCard manager={summary.manager} />
          {home.kind === 'dealer' && <NotificationSettingsSection />}
          {card.data && card.data.legalEntities.length > 0 && (
            <Section title={`${t('dealer.legalEntities')} (${card.data.legalEntities.length})`} dense>
              <LegalEntitiesTable entities={card.data.legalEntities} showErp={false} />
            </Section>
          )}
        </Box>
      </Box>
    </>
  );
}

function figuresOf(dealer: DealerSummary, finance: DealerCard['finance'], check: CheckoutPreview | null): CreditFigures | null {
  const rules = { blockOverLimit: dealer.blocking.overLimit, blockOverdueDays: dealer.blocking.overdueDays };
  if (finance) {
    if (!finance.hasErpData && finance.creditLimit === null) return null;
    return { currency: finance.currency, debt: finance.debt, overdue: finance.overdue, overdueDays: finance.overdueDays, creditLimit: finance.creditLimit, available: finance.availableCredit, asOf: finance.asOf, ...rules };
  }
  if (check) {
    const c = check.credit;
    return { currency: c.currency, debt: c.debt, overdue: c.overdue, overdueDays: c.overdueDays, creditLimit: c.creditLimit, available: c.availableCredit, asOf: c.asOf, ...rules };
  }
  if (dealer.creditLimit !== null) return { currency: dealer.currency, debt: null, overdue: null, overdueDays: null, creditLimit: dealer.creditLimit, available: null, asOf: null, ...rules };
  return null;
}
