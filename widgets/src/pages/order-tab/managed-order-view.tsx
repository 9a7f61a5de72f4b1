import { Alert, Box, Button, Tooltip, Typography } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';
import { CardHeader } from '../../components/card-header.js';
import { DealerLink } from '../../components/dealer-link.js';
import { ErrorState } from '../../components/error-state.js';
import { FieldList } from '../../components/field-list.js';
import { Loading } from '../../components/loading.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { ErpProblem, ErpStateChip } from './erp-state.js';
import { ManagedLinesTable } from './managed-lines-table.js';
import type { ManagedOrder, RepriceAnswer, ReserveAnswer } from './managed-order.types.js';
import { OrderTimeline } from './order-timeline.js';
import { useManagedOrder, type ManagedOrderState } from './use-managed-order.js';

/** Stages where lines and prices may still change (server: reprice-order.ts EDITABLE_STAGES). */
const EDITABLE = ['new', 'approval', 'agreed'];

export function ManagedOrderView({ orderId, canManage }: { orderId: number; canManage: boolean }) {
  const m = useManagedOrder(orderId, canManage);
  if (!m.data) return m.loadError ? <ErrorState error={m.loadError} onRetry={m.reload} /> : <Loading />;
  return <OrderEditor m={m} data={m.data} canManage={canManage} />;
}

/** A button whose disabled state says why (a tooltip), so nobody wonders what to do first. */
function ActionButton({ label, why, busy, primary, onClick, testId }: { label: string; why: string | null; busy: boolean; primary?: boolean; onClick: () => void; testId: string }) {
  const button = (
    <span>
      <Button variant={primary ? 'contained' : 'outlined'} disabled={Boolean(why) || busy} onClick={onClick} data-testid={testId}>
        {label}
      </Button>
    </span>
  );
  return why ? <Tooltip title={why}>{button}</Tooltip> : button;
}

function OrderEditor({ m, data, canManage }: { m: ManagedOrderState; data: ManagedOrder; canManage: boolean }) {
  const { t, money, date, dateTime } = useI18n();
  const { openPath } = useFrame();
  const [notice, setNotice] = useState<ReactNode>(null);
  const { order, totals } = data;
  useFrameTitle(t('order.title', { number: order.number }));
  const stage = order.stage.key;
  const editable = EDITABLE.includes(stage);
  const pending = data.pendingChanges > 0;
  const handoff = order.erp.handoff;
  const canPropose = canManage && editable;
  const busyLine = m.busy?.startsWith('line:') ? Number(m.busy.slice(5)) : null;
  // A notice about the last action ("queued for the ERP") is stale once the ERP has answered.
  useEffect(() => {
    if (handoff === 'rejected' || handoff === 'posted' || handoff === 'created') setNotice(null);
  }, [handoff]);

  const notEditable = editable ? null : t('mgr.why.stage', { stage: order.stage.name });
  const approveWhy = pending ? t('mgr.why.pending') : !['new', 'approval'].includes(stage) ? t('mgr.why.alreadyApproved', { stage: order.stage.name }) : null;
  const sendWhy = pending
    ? t('mgr.why.pending')
    : !['agreed', 'sentToErp'].includes(stage)
      ? t('mgr.why.approveFirst')
      : handoff === 'posted' || handoff === 'created'
        ? t('mgr.why.inErp')
        : handoff === 'queued'
          ? t('mgr.why.queued')
          : null;
  const reserveWhy = stage === 'cancelled' ? t('mgr.why.stage', { stage: order.stage.name }) : null;

  async function recalculate() {
    const r = await m.recalculate();
    if (r) setNotice(<RepriceNotice r={r} currency={order.currency} />);
  }
  async function reserve() {
    const r: ReserveAnswer | null = await m.reserve();
    if (r) setNotice(t(r.source === 'erp' ? 'mgr.notice.reserveErp' : 'mgr.notice.reserveStock', { reserved: r.reservedLines, waiting: r.waitingLines }));
  }
  async function approve() {
    if (await m.approve()) setNotice(t('mgr.notice.approved'));
  }
  async function send() {
    if (await m.sendToErp()) setNotice(t('mgr.notice.sent'));
  }

  const sourceKey = `mgr.source.${order.source}` as MessageKey;
  return (
    <>
      <CardHeader
        title={t('order.title', { number: order.number })}
        chip={
          <Box sx={{ display: 'flex', gap: 0.75 }}>
            <StageChip name={order.stage.name} color={order.stage.color} testId="order-stage" />
            <ErpStateChip order={order} outbox={data.outbox} />
          </Box>
        }
        subtitle={
          <>
            {data.dealer ? (
              <>
                <DealerLink dealer={data.dealer} onOpen={openPath} />
                {data.legalEntity ? ` (${data.legalEntity.name}${data.legalEntity.inn ? `, ${t('dealer.inn')} ${data.legalEntity.inn}` : ''})` : ''}
                {' · '}
              </>
            ) : null}
            {[t(sourceKey), dateTime(order.submittedAt ?? order.createdAt)].join(' · ')}
          </>
        }
        actions={
          <Box sx={{ textAlign: 'right' }}>
            <Box sx={{ fontSize: 12, color: 'text.secondary' }}>{t('order.amount')}</Box>
            <Box sx={{ fontSize: 20, fontWeight: 700 }} data-testid="order-amount">{money(totals.amount, order.currency)}</Box>
          </Box>
        }
      />
      {canManage ? (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', mb: 1.5 }} data-testid="order-actions">
          <ActionButton label={t('mgr.action.recalculate')} why={notEditable} busy={m.busy !== null} onClick={() => void recalculate()} testId="action-recalculate" />
          <ActionButton label={t('mgr.action.reserve')} why={reserveWhy} busy={m.busy !== null} onClick={() => void reserve()} testId="action-reserve" />
          <ActionButton label={t('mgr.action.approve')} why={approveWhy} busy={m.busy !== null} primary={!approveWhy} onClick={() => void approve()} testId="action-approve" />
          <ActionButton label={t('mgr.action.send')} why={sendWhy} busy={m.busy !== null} primary={!sendWhy} onClick={() => void send()} testId="action-send" />
          <Box sx={{ flex: 1 }} />
          <Button color="inherit" onClick={m.reload} disabled={m.busy !== null}>
            {t('common.refresh')}
          </Button>
        </Box>
      ) : (
        <Alert severity="info" sx={{ mb: 1.5 }}>{t('mgr.readOnly')}</Alert>
      )}
      {m.error ? <ErrorState error={m.error} onRetry={m.clearError} /> : null}
      {notice ? (
        <Alert severity="success" onClose={() => setNotice(null)} sx={{ mb: 1.5 }} data-testid="order-notice">
          {notice}
        </Alert>
      ) : null}
      {pending ? (
        <Alert severity="warning" sx={{ mb: 1.5 }} data-testid="order-pending">
          {t('mgr.pending', { n: data.pendingChanges })}
          {totals.proposedAmount !== null ? ` ${t('mgr.pendingTotal', { from: money(totals.amount, order.currency), to: money(totals.proposedAmount, order.currency) })}` : ''}
        </Alert>
      ) : null}
      <ErpProblem order={order} outbox={data.outbox} />
      {data.creditCheck ? (
        <Alert severity={data.creditCheck.startsWith('ok') ? 'success' : data.creditCheck.startsWith('blocked') ? 'error' : 'warning'} sx={{ mb: 1.5 }} data-testid="order-credit-check">
          <b>{t('order.creditCheck')}:</b> {data.creditCheck}
        </Alert>
      ) : null}
      <Section title={`${t('lines.title')} (${data.lines.length})`} dense testId="order-lines">
        <ManagedLinesTable data={data} canPropose={canPropose} busyLine={busyLine} onPropose={m.proposeLine} onWithdraw={m.withdraw} />
      </Section>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('order.delivery')} testId="order-delivery">
          <FieldList
            items={[
              { label: t('order.delivery'), value: order.delivery.label, testId: 'order-delivery-method' },
              { label: t('order.desiredDate'), value: order.delivery.desiredDate ? date(order.delivery.desiredDate) : null },
              { label: t('order.deliveryAddress'), value: order.delivery.address, wide: true },
              { label: t('order.comment'), value: data.comment, wide: true },
            ]}
          />
        </Section>
        <Section title={t('order.erp')} testId="order-erp">
          <FieldList
            items={[
              { label: t('order.erpNumber'), value: order.erp.number ?? <Box component="span" sx={{ color: 'text.secondary' }}>{t('order.notSent')}</Box>, testId: 'order-erp-number' },
              { label: t('order.erpStatus'), value: order.erp.status, testId: 'order-erp-status' },
              { label: t('mgr.erp.outbox'), value: data.outbox ? t(`mgr.outbox.${data.outbox.state}` as MessageKey, { n: data.outbox.attempts }) : null, testId: 'order-outbox', wide: true },
            ]}
          />
        </Section>
        <Section title={t('mgr.timeline.title')} dense testId="order-timeline">
          <OrderTimeline entries={data.timeline} />
        </Section>
      </Box>
    </>
  );
}

function RepriceNotice({ r, currency }: { r: RepriceAnswer; currency: string }) {
  const { t, money } = useI18n();
  return (
    <>
      {r.changedLines === 0 ? t('mgr.notice.repriceSame') : t('mgr.notice.repriced', { n: r.changedLines, from: money(r.oldTotal, currency), to: money(r.newTotal, currency) })}
      {r.unpriced.length ? <Typography variant="body2">{t('mgr.notice.unpriced', { lines: r.unpriced.map((u) => u.sku ?? `#${u.lineNo}`).join(', ') })}</Typography> : null}
    </>
  );
}
