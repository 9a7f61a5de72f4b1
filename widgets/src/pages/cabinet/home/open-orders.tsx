import { Box, Button, List, ListItemButton, Typography } from '@mui/material';
import type { Page } from '../../../api/types.js';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { EmptyState } from '../../../components/empty-state.js';
import { Section } from '../../../components/section.js';
import { StageChip } from '../../../components/stage-chip.js';
import { useI18n } from '../../../i18n/i18n.js';
import { useCabinet } from '../cabinet-context.js';
import { OPEN_STAGES, type OrderSummary } from '../cabinet-types.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';

/** Orders not yet delivered or cancelled: how many, the latest few with their stage, a way to all of them. */
export function OpenOrders() {
  const { t, money, date } = useI18n();
  const { go, cartVersion } = useCabinet();
  const { ordersScope, caps } = useCabinetShell();
  const state = useApi<Page<OrderSummary>>('/orders', { stage: [...OPEN_STAGES], limit: 6, sort: 'created', dir: 'desc', ...ordersScope, v: cartVersion });
  return (
    <Section
      title={state.data ? t('cab.home.openOrdersN', { n: state.data.total }) : t('cab.home.openOrders')}
      testId="home-open-orders"
      dense
      action={
        <Button size="small" onClick={() => go('orders')}>
          {t('cab.home.allOrders')}
        </Button>
      }
    >
      <AsyncView state={state}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState
              title={t('cab.home.noOpenOrders')}
              action={
                caps.canOrder ? (
                  <Button variant="contained" size="small" onClick={() => go('catalog')}>
                    {t('cab.orders.toCatalog')}
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <List dense disablePadding>
              {page.items.map((o) => (
                <ListItemButton key={o.id} onClick={() => go('order', { orderId: o.id })} sx={{ px: 2, gap: 1.5 }} data-testid="open-order">
                  <Box sx={{ width: 92, fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>{o.number}</Box>
                  <Typography variant="body2" color="text.secondary" sx={{ width: 96 }}>
                    {date(o.submittedAt ?? o.createdAt)}
                  </Typography>
                  <Box sx={{ flex: 1, display: 'flex', gap: 1, alignItems: 'center' }}>
                    <StageChip name={o.stage.name} color={o.stage.color} />
                    {o.changesPending && <StageChip name={t('cab.orders.changes')} color="#FFA900" />}
                  </Box>
                  <Typography sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>{money(o.total, o.currency)}</Typography>
                </ListItemButton>
              ))}
            </List>
          )
        }
      </AsyncView>
    </Section>
  );
}
