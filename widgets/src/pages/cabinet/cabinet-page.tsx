import { Alert, Avatar, Box, Button, Chip, List, ListItemButton, ListItemText, Paper, TextField, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { CabinetHome, DealerSummary, Page } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { DealerTerms } from '../../components/dealer-terms.js';
import { roleLabelKey } from '../../components/dealer-users-table.js';
import { EmptyState } from '../../components/empty-state.js';
import { LegalEntitiesTable } from '../../components/legal-entities-table.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';

/**
 * The dealer cabinet's home. A dealer user sees their own company (the session decides which; the page never asks
 * for a dealer id), their role and their personal manager; staff see a dealer finder (act-as-dealer comes later).
 */
export function CabinetPage() {
  const { t } = useI18n();
  const state = useApi<CabinetHome>('/cabinet');
  useFrameTitle(t('cabinet.title'));
  return <WidgetFrame><AsyncView state={state}>{(home) => (home.kind === 'dealer' ? <DealerHome home={home} /> : <StaffHome home={home} />)}</AsyncView></WidgetFrame>;
}

function DealerHome({ home }: { home: Extract<CabinetHome, { kind: 'dealer' }> }) {
  const { t } = useI18n();
  const { openChat } = useFrame();
  const manager = home.dealer.manager;
  return (
    <>
      <CardHeader title={t('cabinet.welcome', { name: home.me.name })} subtitle={<span data-testid="cabinet-role">{t('cabinet.yourRole')}: {t(roleLabelKey(home.me.role))}</span>} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('cabinet.yourDealer')} testId="cabinet-dealer">
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5 }}>
            <Typography variant="h2" data-testid="cabinet-dealer-title">
              {home.dealer.title}
            </Typography>
            <StageChip name={home.dealer.stage.name} color={home.dealer.stage.color} />
          </Box>
          <DealerTerms dealer={home.dealer} audience="dealer" />
        </Section>
        <Section title={t('cabinet.yourManager')} testId="cabinet-manager">
          {manager ? (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
              <Avatar sx={{ bgcolor: 'primary.main' }}>{manager.name.slice(0, 1)}</Avatar>
              <Box sx={{ flex: 1 }}>
                <Typography sx={{ fontWeight: 600 }}>{manager.name}</Typography>
                <Button size="small" sx={{ px: 0 }} onClick={() => openChat(manager.id)}>
                  {t('cabinet.writeManager')}
                </Button>
              </Box>
            </Box>
          ) : (
            <Typography color="text.secondary">{t('cabinet.noManager')}</Typography>
          )}
        </Section>
      </Box>
      <Section title={`${t('dealer.legalEntities')} (${home.legalEntities.length})`} dense>
        <LegalEntitiesTable entities={home.legalEntities} showErp={false} />
      </Section>
      <Alert severity="info" variant="outlined" sx={{ bgcolor: 'background.paper' }}>
        {t('cabinet.comingSoon')}
      </Alert>
    </>
  );
}

function StaffHome({ home }: { home: Extract<CabinetHome, { kind: 'staff' }> }) {
  const { t } = useI18n();
  const { openPath } = useFrame();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(20);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);
  const list = useApi<Page<DealerSummary>>('/dealers', { q: query, limit });
  return (
    <>
      <CardHeader title={t('cabinet.staffTitle')} subtitle={t('cabinet.dealersTotal', { n: home.dealersTotal })} chip={<Chip size="small" label={t(roleLabelKey(home.me.role))} />} />
      <Alert severity="info" sx={{ mb: 1.5 }}>
        {t('cabinet.staffText')}
      </Alert>
      <Paper sx={{ p: 1.5 }}>
        <TextField fullWidth label={t('cabinet.pickDealer')} value={q} onChange={(e) => setQ(e.target.value)} sx={{ mb: 1 }} />
        <AsyncView state={list}>
          {(page) =>
            page.items.length === 0 ? (
              <EmptyState title={t('cabinet.noDealers')} />
            ) : (
              <>
                <List dense data-testid="dealer-picker">
                  {page.items.map((d) => (
                    <ListItemButton key={d.itemId} disabled={!d.cardPath} onClick={() => d.cardPath && openPath(d.cardPath)}>
                      <ListItemText primary={d.title} secondary={[d.city, d.dealerGroup?.label].filter(Boolean).join(' · ')} />
                      <StageChip name={d.stage.name} color={d.stage.color} />
                    </ListItemButton>
                  ))}
                </List>
                {page.total > page.items.length && (
                  <Button size="small" onClick={() => setLimit((n) => n + 20)}>
                    {t('common.showMore')}
                  </Button>
                )}
              </>
            )
          }
        </AsyncView>
      </Paper>
    </>
  );
}
