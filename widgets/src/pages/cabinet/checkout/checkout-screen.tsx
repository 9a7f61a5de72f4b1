import { Alert, Box, Button, Divider, FormControlLabel, MenuItem, Paper, Radio, RadioGroup, TextField, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { useMemo, useState } from 'react';
import { ApiError } from '../../../api/client.js';
import { useApi } from '../../../api/use-api.js';
import { AsyncView } from '../../../components/async-view.js';
import { EmptyState } from '../../../components/empty-state.js';
import { Section } from '../../../components/section.js';
import { useI18n, type MessageKey } from '../../../i18n/i18n.js';
import { useWidget } from '../../../shell/widget-context.js';
import { useCabinet } from '../cabinet-context.js';
import type { CheckoutPreview, OrderSummary } from '../cabinet-types.js';
import { CreditVerdict } from './credit-verdict.js';

const METHOD_LABEL: Record<string, MessageKey> = { pickup: 'cab.delivery.pickup', our_transport: 'cab.delivery.our_transport', carrier: 'cab.delivery.carrier' };

interface FieldError {
  field?: string;
  message: string;
}

/**
 * Checkout: legal entity, delivery, desired date and comment over the cart priced now (GET /checkout), with the
 * credit check's verdict. Submit is one POST with a request id, so a double click or a retry makes one order.
 */
export function CheckoutScreen() {
  const { t, money, number } = useI18n();
  const { api } = useWidget();
  const { scope, companyId, setCompanyId, cartVersion, cartChanged, go } = useCabinet();
  const preview = useApi<CheckoutPreview>('/checkout', { ...scope.cart, ...(companyId ? { companyId } : {}), v: cartVersion });
  const [method, setMethod] = useState('pickup');
  const [address, setAddress] = useState('');
  const [desiredDate, setDesiredDate] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  // One id per filled-in form: a retry after a lost answer finds the same order on the server.
  const requestId = useMemo(() => `cab-${cartVersion}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`, [cartVersion]);

  const fieldError = (field: string) => errors.find((e) => e.field === field)?.message;

  const submit = async (p: CheckoutPreview) => {
    setErrors([]);
    setFailure(null);
    if (method !== 'pickup' && !address.trim()) {
      setErrors([{ field: 'deliveryAddress', message: t('cab.checkout.addressNeeded') }]);
      return;
    }
    setBusy(true);
    try {
      const body = {
        ...(p.legalEntity ? { companyId: p.legalEntity.companyId } : {}),
        deliveryMethod: method,
        ...(method !== 'pickup' && address.trim() ? { deliveryAddress: address.trim() } : {}),
        ...(desiredDate ? { desiredDate } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        requestId,
      };
      const res = await api.post<{ order: OrderSummary }>('/checkout', body, { params: scope.cart });
      cartChanged();
      go('order', { orderId: res.data.order.id, placed: 1 });
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details)) setErrors(err.details as FieldError[]);
      setFailure(err instanceof Error ? err.message : String(err));
      preview.reload();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box data-testid="checkout">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => go('cart')}>
          {t('cab.checkout.backToCart')}
        </Button>
        <Typography variant="h2" component="h1">
          {t('cab.checkout.title')}
        </Typography>
      </Box>
      <AsyncView state={preview}>
        {(p) =>
          p.cart.lines === 0 ? (
            <Paper>
              <EmptyState
                title={t('cab.checkout.empty')}
                action={
                  <Button variant="contained" onClick={() => go('catalog')}>
                    {t('cab.orders.toCatalog')}
                  </Button>
                }
              />
            </Paper>
          ) : (
            <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' }, gap: 1.5, alignItems: 'start' }}>
              <Section title={t('cab.checkout.details')}>
                <TextField
                  select
                  fullWidth
                  size="small"
                  label={t('cab.legalEntity')}
                  value={p.legalEntity?.companyId ?? ''}
                  onChange={(e) => setCompanyId(Number(e.target.value))}
                  disabled={p.legalEntities.length < 2}
                  sx={{ mb: 2 }}
                  slotProps={{ htmlInput: { 'data-testid': 'checkout-legal-entity' } }}
                  helperText={p.legalEntities.length === 0 ? t('cab.checkout.noLegalEntity') : undefined}
                >
                  {p.legalEntities.map((e) => (
                    <MenuItem key={e.companyId} value={e.companyId}>
                      {e.name}
                      {e.inn ? ` · ${t('cab.inn')} ${e.inn}` : ''}
                    </MenuItem>
                  ))}
                </TextField>
                <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
                  {t('cab.checkout.delivery')}
                </Typography>
                <RadioGroup row value={method} onChange={(e) => setMethod(e.target.value)} sx={{ mb: 1 }} data-testid="checkout-method">
                  {p.deliveryMethods.map((m) => (
                    <FormControlLabel key={m} value={m} control={<Radio size="small" />} label={t(METHOD_LABEL[m] ?? 'cab.delivery.pickup')} />
                  ))}
                </RadioGroup>
                {method !== 'pickup' && (
                  <TextField
                    fullWidth
                    size="small"
                    label={t('cab.checkout.address')}
                    value={address}
                    onChange={(e) => {
                      setAddress(e.target.value);
                      setErrors((list) => list.filter((x) => x.field !== 'deliveryAddress'));
                    }}
                    error={Boolean(fieldError('deliveryAddress'))}
                    helperText={fieldError('deliveryAddress')}
                    sx={{ mb: 2 }}
                    slotProps={{ htmlInput: { 'data-testid': 'checkout-address', maxLength: 500 } }}
                  />
                )}
                <TextField
                  type="date"
                  size="small"
                  label={t('cab.checkout.date')}
                  value={desiredDate}
                  onChange={(e) => setDesiredDate(e.target.value)}
                  error={Boolean(fieldError('desiredDate'))}
                  helperText={fieldError('desiredDate') ?? t('cab.checkout.dateHint')}
                  sx={{ mb: 2, width: 220 }}
                  slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: p.today, 'data-testid': 'checkout-date' } }}
                />
                <TextField
                  fullWidth
                  multiline
                  minRows={2}
                  size="small"
                  label={t('cab.checkout.comment')}
                  value={comment}
                  onChange={(e) => setComment(e.target.value)}
                  slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': 'checkout-comment' } }}
                />
              </Section>
              <Box>
                <Section title={t('cab.checkout.summary')} testId="checkout-summary">
                  <Row label={t('cab.checkout.lines')} value={`${number(p.cart.orderable)} / ${number(p.cart.lines)}`} />
                  <Row label={t('cab.checkout.quantity')} value={number(p.cart.totals.quantity)} />
                  <Divider sx={{ my: 1 }} />
                  <Row label={t('common.total')} value={money(p.cart.totals.amount, p.cart.totals.currency)} strong testId="checkout-total" />
                  {p.cart.blockingLines > 0 && (
                    <Alert
                      severity="error"
                      sx={{ mt: 1 }}
                      action={
                        <Button color="inherit" size="small" onClick={() => go('cart')}>
                          {t('cab.checkout.fixCart')}
                        </Button>
                      }
                    >
                      {t('cab.checkout.blockingLines', { n: p.cart.blockingLines })}
                    </Alert>
                  )}
                </Section>
                <Box sx={{ mb: 1.5 }}>
                  <CreditVerdict credit={p.credit} />
                </Box>
                {failure && (
                  <Alert severity="error" sx={{ mb: 1.5 }} data-testid="checkout-error">
                    {failure}
                    {errors.filter((e) => e.message && e.field !== 'deliveryAddress').map((e, i) => (
                      <div key={i}>{e.message}</div>
                    ))}
                  </Alert>
                )}
                <Button fullWidth variant="contained" size="large" disabled={!p.canSubmit || busy} onClick={() => void submit(p)} data-testid="checkout-submit">
                  {busy ? t('cab.checkout.submitting') : t('cab.checkout.submit', { total: money(p.cart.totals.amount, p.cart.totals.currency) })}
                </Button>
              </Box>
            </Box>
          )
        }
      </AsyncView>
    </Box>
  );
}

function Row({ label, value, strong, testId }: { label: string; value: string; strong?: boolean; testId?: string }) {
  return (
    <Box sx={{ display: 'flex', justifyContent: 'space-between', py: 0.25 }}>
      <Typography variant="body2" color={strong ? 'text.primary' : 'text.secondary'} sx={{ fontWeight: strong ? 700 : 400 }}>
        {label}
      </Typography>
      <Typography sx={{ fontWeight: strong ? 700 : 500, fontSize: strong ? 17 : 14 }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}
