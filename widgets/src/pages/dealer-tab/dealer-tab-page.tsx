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

/** The Dealers card tab: terms and blocking rules, ERP finance, legal entities, the dealer's users and their roles. */
export function DealerTabPage() {
  const { boot } = useWidget();
  const { t } = useI18n();
  const id = cardIdOf(boot);
  const state = useApi<DealerCard>(id ? `/dealers/${id}` : null);
  if (!id) return <EmptyState title={t('widget.noCard')} />;
  return <WidgetFrame><AsyncView state={state}>{(card) => <DealerView initial={card} />}</AsyncView></WidgetFrame>;
}

function DealerView({ initial }: { initial: DealerCard }) {
  const { t } = useI18n();
  const { api } = useWidget();
  const { openChat } = useFrame();
  const [card, setCard] = useState(initial);
  const [syncing, setSyncing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setCard(initial), [initial]);
  useFrameTitle(`${t('dealer.title')}: ${card.dealer.title}`);

  async function syncNow() {
    setSyncing(true);
    setError(null);
    try {
      setCard((await api.post<DealerCard>(`/dealers/${card.dealer.itemId}/sync`)).data);
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
        subtitle={[card.dealer.dealerGroup?.label, card.dealer.city].filter(Boolean).join(' · ')}
        actions={card.can.manageDealer ? <Button size="small" variant="outlined" disabled={syncing} onClick={() => void syncNow()}>{t('dealer.syncNow')}</Button> : undefined}
      />
      {error ? <ErrorState error={error} /> : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('dealer.terms')} testId="dealer-terms">
          <DealerTerms dealer={card.dealer} onOpenManager={openChat} />
        </Section>
        <Box>
          {card.finance && (
            <Section title={t('dealer.finance')} testId="dealer-finance">
              <FinancePanel finance={card.finance} />
            </Section>
          )}
          <Section title={`${t('dealer.legalEntities')} (${card.legalEntities.length})`} dense>
            <LegalEntitiesTable entities={card.legalEntities} />
          </Section>
        </Box>
      </Box>
      {card.users && (
        <Section title={`${t('dealer.users')} (${card.users.length})`} dense>
          <DealerUsersTable
            dealerItemId={card.dealer.itemId}
            users={card.users}
            canManage={card.can.manageUsers}
            onChanged={(u) => setCard((c) => ({ ...c, users: (c.users ?? []).map((x) => (x.id === u.id ? u : x)) }))}
          />
        </Section>
      )}
    </>
  );
}
