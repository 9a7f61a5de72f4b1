import { Box, Button } from '@mui/material';
import { useEffect, useState } from 'react';
import type { DealerCard } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { cardIdOf } from '../../components/card-id.js';
import { DealerTerms } from '../../components/dealer-terms.js';
import { DealerUsersTable } from '../../components/dealer-users-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorState } from '../../components/error-state.js';
import { FinancePanel } from '../../components/finance-panel.js';
import { LegalEntitiesTable } from '../../components/legal-entities-table.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { useWidget } from '../../shell/widget-context.js';
import { DealerOrders } from './dealer-orders.js';
import { DealerSales } from './dealer-sales.js';
import { DealerTermsEditor } from './dealer-terms-editor.js';

/**
 * The Dealers card tab: terms and blocking rules (editable by a manager), ERP debt and overdue, sales this month and
 * year with a chart by month, recent orders, legal entities, the dealer's users and their roles.
 */
export function DealerTabPage() {
  const { boot } = useWidget();
  const { t } = useI18n();
  const id = cardIdOf(boot);
  const state = useApi<DealerCard>(id ? `/dealers/${id}` : null);
  if (!id) return <EmptyState title={t('widget.noCard')} />;
  return (
    <WidgetFrame>
      <AsyncView state={state}>{(card) => <DealerView initial={card} canReadOrders={(boot.permissions ?? []).includes('orders.read.company')} />}</AsyncView>
    </WidgetFrame>
  );
}

function DealerView({ initial, canReadOrders }: { initial: DealerCard; canReadOrders: boolean }) {
  const { t } = useI18n();
  const { api } = useWidget();
  const { openChat } = useFrame();
  const [card, setCard] = useState(initial);
  const [syncing, setSyncing] = useState(false);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setCard(initial), [initial]);
  useFrameTitle(`${t('dealer.title')}: ${card.dealer.title}`);
  const itemId = card.dealer.itemId;

  async function syncNow() {
    setSyncing(true);
    setError(null);
    try {
      setCard((await api.post<DealerCard>(`/dealers/${itemId}/sync`)).data);
    } catch (err) {
      setError(err);
    } finally {
      setSyncing(false);
    }
  }

  return (
    <>
      <CardHeader
        title={card.dealer.title}
        chip={<StageChip name={card.dealer.stage.name} color={card.dealer.stage.color} />}
        subtitle={[card.dealer.dealerGroup?.label, card.dealer.city, card.dealer.priceType ? `${t('dealer.priceType')}: ${card.dealer.priceTypeName ?? card.dealer.priceType}` : null].filter(Boolean).join(' · ')}
        actions={card.can.manageDealer ? <Button size="small" variant="outlined" disabled={syncing} onClick={() => void syncNow()}>{t('dealer.syncNow')}</Button> : undefined}
      />
      {error ? <ErrorState error={error} /> : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Box>
          <Section
            title={t('dealer.terms')}
            testId="dealer-terms"
            action={card.can.manageDealer && !editing ? <Button size="small" onClick={() => setEditing(true)} data-testid="terms-edit">{t('mgr.terms.edit')}</Button> : undefined}
          >
            {editing ? (
              <DealerTermsEditor
                card={card}
                onCancel={() => setEditing(false)}
                onSaved={(next) => {
                  setCard(next);
                  setEditing(false);
                }}
              />
            ) : (
              <DealerTerms dealer={card.dealer} onOpenManager={openChat} />
            )}
          </Section>
          <Section title={`${t('dealer.legalEntities')} (${card.legalEntities.length})`} dense>
            <LegalEntitiesTable entities={card.legalEntities} />
          </Section>
        </Box>
        <Box>
          {card.finance && (
            <Section title={t('dealer.finance')} testId="dealer-finance">
              <FinancePanel finance={card.finance} />
            </Section>
          )}
          {canReadOrders && (
            <Section title={t('mgr.sales.title')} testId="dealer-sales-section">
              <DealerSales dealerItemId={itemId} />
            </Section>
          )}
        </Box>
      </Box>
      {canReadOrders && (
        <Section title={t('mgr.orders.title')} dense testId="dealer-orders-section">
          <DealerOrders dealerItemId={itemId} />
        </Section>
      )}
      {card.users && (
        <Section title={`${t('dealer.users')} (${card.users.length})`} dense testId="dealer-users-section">
          <DealerUsersTable
            dealerItemId={itemId}
            users={card.users}
            canManage={card.can.manageUsers}
            onChanged={(u) => setCard((c) => ({ ...c, users: (c.users ?? []).map((x) => (x.id === u.id ? u : x)) }))}
          />
        </Section>
      )}
    </>
  );
}
