import { Alert, AlertTitle, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Paper, Table, TableBody, TableCell, TableHead, TableRow, TextField, Tooltip, Typography } from '@mui/material';
import FileDownloadOutlinedIcon from '@mui/icons-material/FileDownloadOutlined';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import ReplayIcon from '@mui/icons-material/Replay';
import { useState } from 'react';
import { ApiError } from '../../../api/client.js';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { Section } from '../../../components/section.js';
import { StageChip } from '../../../components/stage-chip.js';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import { useCabinet } from '../cabinet-context.js';
import type { OrderPage } from '../cabinet-types.js';
import { useCabinetShell } from '../shell/cabinet-shell-context.js';
import { OrderLines } from './order-lines.js';
import { StageStepper } from './stage-stepper.js';

/**
 * One order: the stage stepper, the manager's changes to agree or decline, lines with prices, ERP number and
 * documents, the history; repeat the order into the cart, or cancel it while the ERP does not have it yet.
 */
export function OrderScreen() {
  const { t } = useI18n();
  const { params, go } = useCabinet();
  const orderId = Number(params.orderId);
  const state = useApi<OrderPage>(orderId ? `/orders/${orderId}/details` : null);
  return (
    <Box data-testid="order-screen">
      <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => go('orders')} sx={{ mb: 1 }}>
        {t('cab.order.back')}
      </Button>
      {state.error instanceof ApiError && state.error.status === 404 ? (
        <OrderNotFound />
      ) : (
        <AsyncView state={state}>{(page) => <OrderBody page={page} reload={state.reload} />}</AsyncView>
      )}
    </Box>
  );
}

/**
 * Another dealer's order, or a link to one that does not exist: the server answers 404 for both (it does not say which),
 * so the dealer is told plainly and sent back to their own orders, not shown a load error with a pointless retry.
 */
function OrderNotFound() {
  const { t } = useI18n();
  const { go } = useCabinet();
  return (
    <Alert
      severity="warning"
      data-testid="order-not-found"
      action={
        <Button color="inherit" size="small" onClick={() => go('orders')}>
          {t('cab.order.back')}
        </Button>
      }
    >
      <AlertTitle>{t('cab.order.notFound')}</AlertTitle>
      {t('cab.order.notFoundHint')}
    </Alert>
  );
}

function OrderBody({ page, reload }: { page: OrderPage; reload(): void }) {
  const { t, money, date, dateTime } = useI18n();
  const { api } = useWidget();
  const { scope, params, go, cartChanged } = useCabinet();
  const { caps, legalEntities, acting } = useCabinetShell();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(params.placed ? t('cab.order.placed') : null);
  const [cancelOpen, setCancelOpen] = useState(false);
  const [reason, setReason] = useState('');
  const o = page.order;
  const cancellable = caps.canCancel && (acting ? ['new', 'approval', 'agreed'] : ['new', 'approval']).includes(o.stage.key);

  const act = async (name: string, run: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    setNotice(null);
    try {
      await run();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  };
  const decide = (what: 'agree' | 'decline') =>
    act(what, async () => {
      await api.post(`/orders/${o.id}/changes/${what}`, {});
      setNotice(t(what === 'agree' ? 'cab.order.agreed' : 'cab.order.declined'));
      reload();
    });
  const repeat = () =>
    act('repeat', async () => {
      await api.post(`/orders/${o.id}/repeat`, {}, { params: scope.cart });
      cartChanged();
      go('cart');
    });
  const cancel = () =>
    act('cancel', async () => {
      await api.post(`/orders/${o.id}/cancel`, reason.trim() ? { comment: reason.trim() } : {});
      setCancelOpen(false);
      reload();
    });

  return (
    <>
      <Paper sx={{ p: 2, mb: 1.5 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, flexWrap: 'wrap', mb: 1 }}>
          <Typography variant="h2" component="h1" data-testid="order-number">
            {t('cab.order.title', { number: o.number })}
          </Typography>
          <StageChip name={o.stage.name} color={o.stage.color} testId="order-stage" />
          {o.changesPending && <StageChip name={t('cab.orders.changes')} color="#FFA900" />}
          <Box sx={{ flex: 1 }} />
          {caps.canOrder && (
            <Button variant="outlined" size="small" startIcon={<ReplayIcon />} disabled={busy !== null} onClick={() => void repeat()} data-testid="order-repeat">
              {t('cab.order.repeat')}
            </Button>
          )}
          {cancellable && (
            <Button color="error" size="small" disabled={busy !== null} onClick={() => setCancelOpen(true)} data-testid="order-cancel">
              {t('cab.order.cancel')}
            </Button>
          )}
        </Box>
        <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap', mb: 1 }}>
          <Fact label={t('cab.order.created')} value={dateTime(o.submittedAt ?? o.createdAt)} />
          <Fact label={t('cab.legalEntity')} value={legalEntities.find((e) => e.companyId === o.companyId)?.name ?? '—'} />
          <Fact label={t('cab.orders.delivery')} value={[o.delivery.label, o.delivery.address].filter(Boolean).join(', ')} />
          {o.delivery.desiredDate && <Fact label={t('cab.checkout.date')} value={date(o.delivery.desiredDate)} />}
          <Fact label={t('cab.order.erpNumber')} value={o.erp.number ?? t('cab.order.noErp')} testId="order-erp" />
          <Fact label={t('common.total')} value={money(o.total, o.currency)} strong />
        </Box>
        <StageStepper order={o} timeline={page.timeline} documents={page.documents} />
        {page.comment && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
            {t('cab.checkout.comment')}: {page.comment}
          </Typography>
        )}
      </Paper>
      {notice && (
        <Alert severity="success" sx={{ mb: 1.5 }} onClose={() => setNotice(null)} data-testid="order-notice">
          {notice}
        </Alert>
      )}
      {error && (
        <Alert severity="error" sx={{ mb: 1.5 }} onClose={() => setError(null)} data-testid="order-error">
          {error}
        </Alert>
      )}
      {page.pendingChanges > 0 && (
        <Alert
          severity="warning"
          sx={{ mb: 1.5, alignItems: 'center' }}
          data-testid="order-changes"
          action={
            caps.canAgree ? (
              <Box sx={{ display: 'flex', gap: 1 }}>
                <Button variant="contained" color="success" size="small" disabled={busy !== null} onClick={() => void decide('agree')} data-testid="changes-agree">
                  {t('cab.order.agree')}
                </Button>
                <Button variant="outlined" color="inherit" size="small" disabled={busy !== null} onClick={() => void decide('decline')} data-testid="changes-decline">
                  {t('cab.order.decline')}
                </Button>
              </Box>
            ) : undefined
          }
        >
          <AlertTitle>{t('cab.order.changesTitle', { n: page.pendingChanges })}</AlertTitle>
          {page.totals.proposedAmount !== null && t('cab.order.changesTotal', { was: money(page.totals.amount, o.currency), now: money(page.totals.proposedAmount, o.currency) })}
          {!caps.canAgree && <div>{t('cab.order.changesWait')}</div>}
        </Alert>
      )}
      <Section title={t('cab.order.lines')} dense testId="order-lines-section">
        <OrderLines page={page} />
      </Section>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, gap: 1.5, alignItems: 'start' }}>
        <Section title={t('cab.order.documents')} dense testId="order-documents">
          {page.documents.length === 0 ? (
            <Typography variant="body2" color="text.secondary" sx={{ px: 2, pb: 1.5 }}>
              {t('cab.order.noDocuments')}
            </Typography>
          ) : (
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{t('cab.order.docKind')}</TableCell>
                  <TableCell>{t('cab.orders.number')}</TableCell>
                  <TableCell>{t('cab.orders.date')}</TableCell>
                  <TableCell align="right">{t('lines.sum')}</TableCell>
                  <TableCell padding="checkbox" />
                </TableRow>
              </TableHead>
              <TableBody>
                {page.documents.map((d) => (
                  <TableRow key={`${d.kind}-${d.number}`}>
                    <TableCell>{DOC_KEYS[d.kind] ? t(DOC_KEYS[d.kind]!) : d.kind}</TableCell>
                    <TableCell>{d.number}</TableCell>
                    <TableCell>{date(d.date)}</TableCell>
                    <TableCell align="right">{money(d.amount, d.currency)}</TableCell>
                    <TableCell padding="checkbox">
                      {d.fileUrl && (
                        <Tooltip title={t('cab.order.docOpen')}>
                          <IconButton size="small" component="a" href={d.fileUrl} target="_blank" rel="noopener" aria-label={`${t('cab.order.docOpen')}: ${d.number}`} data-testid="document-file">
                            <FileDownloadOutlinedIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Section>
        <Section title={t('cab.order.history')} testId="order-history">
          <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
            {[...page.timeline].reverse().map((e, i) => (
              <Box component="li" key={i} sx={{ mb: 0.5 }}>
                <Typography variant="body2">
                  <b>{e.stage ? e.stage.name : t(eventKey(e.kind))}</b>
                  {e.message && showsMessage(e) ? ` — ${e.message}` : ''}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {dateTime(e.at)}
                  {e.onBehalfOfUserId ? ` · ${t('cab.order.byManager')}` : ''}
                </Typography>
              </Box>
            ))}
          </Box>
        </Section>
      </Box>
      <Dialog open={cancelOpen} onClose={() => setCancelOpen(false)} maxWidth="xs" fullWidth>
        <DialogTitle>{t('cab.order.cancelTitle', { number: o.number })}</DialogTitle>
        <DialogContent>
          <TextField fullWidth multiline minRows={2} size="small" label={t('cab.order.cancelReason')} value={reason} onChange={(e) => setReason(e.target.value)} sx={{ mt: 1 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setCancelOpen(false)}>{t('common.close')}</Button>
          <Button color="error" variant="contained" disabled={busy !== null} onClick={() => void cancel()} data-testid="order-cancel-confirm">
            {t('cab.order.cancel')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

const EVENT_KEYS: Record<string, MessageKey> = {
  created: 'cab.event.created',
  submitted: 'cab.event.submitted',
  changes_proposed: 'cab.event.changesProposed',
  changes_agreed: 'cab.event.changesAgreed',
  changes_declined: 'cab.event.changesDeclined',
  changes_withdrawn: 'cab.event.changesWithdrawn',
  erp_queued: 'cab.event.erpQueued',
  erp_rejected: 'cab.event.erpRejected',
  erp_status: 'cab.event.erpStatus',
  reserved: 'cab.event.reserved',
  goods_arrived: 'cab.event.goodsArrived',
  repriced: 'cab.event.repriced',
};
const DOC_KEYS: Record<string, MessageKey> = { invoice: 'cab.doc.invoice', waybill: 'cab.doc.waybill', upd: 'cab.doc.upd', act: 'cab.doc.act', 'credit-note': 'cab.doc.creditNote', payment: 'cab.doc.payment' };
const eventKey = (kind: string): MessageKey => EVENT_KEYS[kind] ?? 'cab.event.other';
/** Only a person's own words are shown (the reason of a cancellation); the server's technical notes are not. */
const showsMessage = (e: OrderPage['timeline'][number]) => e.stage?.key === 'cancelled';

function Fact({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <Box data-testid={testId}>
      <Typography sx={{ fontSize: 12, color: 'text.secondary' }}>{label}</Typography>
      <Typography sx={{ fontWeight: strong ? 700 : 500, fontSize: strong ? 16 : 14 }}>{value || '—'}</Typography>
    </Box>
  );
}
