import { Alert, Box, Button } from '@mui/material';
import type { OrderCard } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { DealerLink } from '../../components/dealer-link.js';
import { FieldList } from '../../components/field-list.js';
import { LinesTable } from '../../components/lines-table.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';

/**
 * An Orders item DealerHub has no order for (made by hand in the CRM, or before DealerHub): its header and product
 * rows as Bitrix24 keeps them, read through /api/orders/:itemId (placements' card reader).
 */
export function B24OrderView({ itemId }: { itemId: number }) {
  const state = useApi<OrderCard>(`/orders/${itemId}`);
  return <AsyncView state={state}>{(card) => <OrderView card={card} onReload={state.reload} />}</AsyncView>;
}

function OrderView({ card, onReload }: { card: OrderCard; onReload: () => void }) {
  const { t, money, date, dateTime } = useI18n();
  const { openPath } = useFrame();
  const { order, lines, totals } = card;
  const name = order.number ? `№${order.number}` : order.title || `#${order.id}`;
  useFrameTitle(t('order.title', { number: name }));
  const credit = order.creditCheck ?? '';
  const creditTone = credit.startsWith('ok') ? 'success' : credit.startsWith('blocked') ? 'error' : credit.startsWith('error') ? 'warning' : 'info';
  return (
    <>
      <CardHeader
        title={t('order.title', { number: name })}
        chip={<StageChip name={order.stage.name} color={order.stage.color} testId="order-stage" />}
        subtitle={[order.dealer?.title, order.createdTime ? dateTime(order.createdTime) : null].filter(Boolean).join(' · ')}
        actions={
          <Box sx={{ textAlign: 'right' }}>
            <Box sx={{ fontSize: 12, color: 'text.secondary' }}>{t('order.amount')}</Box>
            <Box sx={{ fontSize: 20, fontWeight: 700 }} data-testid="order-amount">
              {money(order.opportunity ?? totals.amount, order.currency)}
            </Box>
            <Button size="small" onClick={onReload}>{t('common.refresh')}</Button>
          </Box>
        }
      />
      {order.changesPending && (
        <Alert severity="warning" sx={{ mb: 1.5 }}>
          {t('order.changesPending')}
        </Alert>
      )}
      {credit && (
        <Alert severity={creditTone} sx={{ mb: 1.5 }} data-testid="order-credit-check">
          <b>{t('order.creditCheck')}:</b> {credit}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('order.header')} testId="order-header">
          <FieldList
            items={[
              { label: t('order.number'), value: order.number, testId: 'order-number' },
              { label: t('order.dealer'), value: order.dealer ? <DealerLink dealer={order.dealer} onOpen={openPath} /> : null, testId: 'order-dealer' },
              { label: t('order.legalEntity'), value: order.legalEntity ? `${order.legalEntity.name}${order.legalEntity.inn ? ` (${t('dealer.inn')} ${order.legalEntity.inn})` : ''}` : null, testId: 'order-legal-entity' },
              { label: t('order.source'), value: order.source?.label },
              { label: t('order.comment'), value: order.comment, wide: true },
            ]}
          />
        </Section>
        <Box>
          <Section title={t('order.delivery')} testId="order-delivery">
            <FieldList
              items={[
                { label: t('order.delivery'), value: order.delivery.method?.label, testId: 'order-delivery-method' },
                { label: t('order.desiredDate'), value: order.delivery.desiredDate ? date(order.delivery.desiredDate) : null },
                { label: t('order.deliveryAddress'), value: order.delivery.address, wide: true },
                { label: t('order.warehouse'), value: order.delivery.warehouse },
              ]}
            />
          </Section>
          <Section title={t('order.erp')} testId="order-erp">
            <FieldList
              items={[
                { label: t('order.erpNumber'), value: order.erp.number ?? <Box component="span" sx={{ color: 'text.secondary' }}>{t('order.notSent')}</Box>, testId: 'order-erp-number' },
                { label: t('order.erpStatus'), value: order.erp.status },
              ]}
            />
          </Section>
        </Box>
      </Box>
      <Section title={`${t('lines.title')} (${lines.length})`} dense testId="order-lines">
        <LinesTable lines={lines} totals={totals} currency={order.currency} emptyText={t('lines.empty')} />
      </Section>
    </>
  );
}
