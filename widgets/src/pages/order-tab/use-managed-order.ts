import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/use-api.js';
import { useWidget } from '../../shell/widget-context.js';
import type { LineChange, ManagedOrder, RepriceAnswer, ReserveAnswer } from './managed-order.types.js';

export type OrderAction = 'recalculate' | 'approve' | 'send' | 'reserve' | `line:${number}`;

/** Lines of a read-only page (no orders.manage: a service engineer) get the manager fields empty. */
function normalize(page: ManagedOrder): ManagedOrder {
  return { ...page, outbox: page.outbox ?? null, lines: page.lines.map((l) => ({ ...l, stockByWarehouse: l.stockByWarehouse ?? [], analogs: l.analogs ?? [], currentPrice: l.currentPrice ?? null })) };
}

/** How often the tab looks again while the ERP hand-off is on its way. */
const ERP_POLL_MS = 2_000;
const ERP_POLL_MAX = 60;

/**
 * The order as the manager works on it: the managed view (lines with stock, analogs, today's price, the ERP outbox)
 * and the manager's actions. Line changes answer the new view at once; order-wide actions reload it. While the ERP
 * hand-off is queued the view reloads itself, so the ERP number or refusal shows without a click.
 */
export function useManagedOrder(orderId: number, canManage: boolean) {
  const { api } = useWidget();
  const state = useApi<ManagedOrder>(canManage ? `/orders/${orderId}/manage` : `/orders/${orderId}/details`);
  const [data, setData] = useState<ManagedOrder | undefined>(undefined);
  const [busy, setBusy] = useState<OrderAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const polls = useRef(0);
  const { reload } = state;

  useEffect(() => {
    if (state.data) setData(normalize(state.data));
  }, [state.data]);

  // Until the hand-off watcher has moved the order on (accepted or refused), even after the outbox row is final.
  const inFlight = data?.order.erp.handoff === 'queued';
  useEffect(() => {
    if (!inFlight || state.loading || polls.current >= ERP_POLL_MAX) return;
    const timer = setTimeout(() => {
      polls.current++;
      reload();
    }, ERP_POLL_MS);
    return () => clearTimeout(timer);
  }, [inFlight, state.loading, data, reload]);

  const run = useCallback(
    async <T,>(action: OrderAction, call: () => Promise<{ data: T }>, apply?: (answer: T) => void): Promise<T | null> => {
      setBusy(action);
      setError(null);
      try {
        const res = await call();
        if (apply) apply(res.data);
        else {
          polls.current = 0;
          reload();
        }
        return res.data;
      } catch (err) {
        setError(err);
        return null;
      } finally {
        setBusy(null);
      }
    },
    [reload],
  );

  const replace = (page: ManagedOrder) => setData(normalize(page));
  return {
    data,
    loadError: state.error,
    reload,
    busy,
    error,
    clearError: () => setError(null),
    proposeLine: (lineId: number, change: LineChange) => run(`line:${lineId}`, () => api.patch<ManagedOrder>(`/orders/${orderId}/lines/${lineId}`, change), replace),
    withdraw: (lineId: number) => run(`line:${lineId}`, () => api.delete<ManagedOrder>(`/orders/${orderId}/lines/${lineId}/proposal`), replace),
    recalculate: () => run<RepriceAnswer>('recalculate', () => api.post<RepriceAnswer>(`/orders/${orderId}/recalculate`)),
    approve: () => run('approve', () => api.post(`/orders/${orderId}/approve`)),
    sendToErp: () => run('send', () => api.post(`/orders/${orderId}/send-to-erp`)),
    reserve: () => run<ReserveAnswer>('reserve', () => api.post<ReserveAnswer>(`/orders/${orderId}/reserve`)),
  };
}

export type ManagedOrderState = ReturnType<typeof useManagedOrder>;
