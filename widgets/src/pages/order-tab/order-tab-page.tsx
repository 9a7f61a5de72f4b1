import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { cardIdOf } from '../../components/card-id.js';
import { EmptyState } from '../../components/empty-state.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useWidget } from '../../shell/widget-context.js';
import { B24OrderView } from './b24-order-view.js';
import { ManagedOrderView } from './managed-order-view.js';

/**
 * The Orders card tab. The card's item id (PLACEMENT_OPTIONS.ID) is mapped to DealerHub's order; managers
 * (orders.manage) get the order editor, other staff the same screen read-only. An item DealerHub has no order for
 * shows what Bitrix24 keeps of it.
 */
export function OrderTabPage() {
  const { boot } = useWidget();
  const { t } = useI18n();
  const itemId = cardIdOf(boot);
  if (!itemId) return <EmptyState title={t('widget.noCard')} />;
  return (
    <WidgetFrame>
      <OrderTab itemId={itemId} canManage={(boot.permissions ?? []).includes('orders.manage')} />
    </WidgetFrame>
  );
}

function OrderTab({ itemId, canManage }: { itemId: number; canManage: boolean }) {
  const ref = useApi<{ itemId: number; orderId: number | null }>(`/order-items/${itemId}`);
  return <AsyncView state={ref}>{(r) => (r.orderId === null ? <B24OrderView itemId={itemId} /> : <ManagedOrderView orderId={r.orderId} canManage={canManage} />)}</AsyncView>;
}
