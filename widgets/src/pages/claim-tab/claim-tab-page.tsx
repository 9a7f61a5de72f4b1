import { Button, Link } from '@mui/material';
import type { ClaimCard } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { cardIdOf } from '../../components/card-id.js';
import { DealerLink } from '../../components/dealer-link.js';
import { EmptyState } from '../../components/empty-state.js';
import { FieldList } from '../../components/field-list.js';
import { LinesTable } from '../../components/lines-table.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { useWidget } from '../../shell/widget-context.js';

/** The Claims card tab: the claimed product, its purchase, the defect and resolution, and the works and parts lines. */
export function ClaimTabPage() {
  const { boot } = useWidget();
  const { t } = useI18n();
  const id = cardIdOf(boot);
  const state = useApi<ClaimCard>(id ? `/claims/${id}` : null);
  if (!id) return <EmptyState title={t('widget.noCard')} />;
  return <WidgetFrame><AsyncView state={state}>{(card) => <ClaimView card={card} onReload={state.reload} />}</AsyncView></WidgetFrame>;
}

function ClaimView({ card, onReload }: { card: ClaimCard; onReload: () => void }) {
  const { t, date, dateTime } = useI18n();
  const { openPath } = useFrame();
  const { claim, lines, totals } = card;
  const name = claim.number ? `№${claim.number}` : claim.title || `#${claim.id}`;
  useFrameTitle(t('claim.title', { number: name }));
  return (
    <>
      <CardHeader
        title={t('claim.title', { number: name })}
        chip={<StageChip name={claim.stage.name} color={claim.stage.color} testId="claim-stage" />}
        subtitle={[claim.dealer?.title, claim.createdTime ? dateTime(claim.createdTime) : null].filter(Boolean).join(' · ')}
        actions={<Button size="small" onClick={onReload}>{t('common.refresh')}</Button>}
      />
      <Section title={t('claim.header')} testId="claim-header">
        <FieldList
          items={[
            { label: t('claim.product'), value: [claim.product.name, claim.product.sku ? `(${claim.product.sku})` : null].filter(Boolean).join(' '), testId: 'claim-product' },
            { label: t('claim.serial'), value: claim.product.serialNumber, testId: 'claim-serial' },
            { label: t('claim.purchaseDocument'), value: claim.purchase.document },
            { label: t('claim.purchaseDate'), value: claim.purchase.date ? date(claim.purchase.date) : null },
            { label: t('order.dealer'), value: claim.dealer ? <DealerLink dealer={claim.dealer} onOpen={openPath} /> : null },
            { label: t('order.legalEntity'), value: claim.legalEntity?.name },
            { label: t('claim.resolution'), value: claim.resolution?.label, testId: 'claim-resolution' },
            { label: t('order.erpNumber'), value: claim.erpNumber },
            { label: t('claim.order'), value: claim.order ? <Link component="button" underline="hover" onClick={() => openPath(claim.order!.cardPath)}>#{claim.order.id}</Link> : null },
            { label: t('claim.defect'), value: claim.defect, wide: true, testId: 'claim-defect' },
          ]}
        />
      </Section>
      <Section title={`${t('claim.lines')} (${lines.length})`} dense testId="claim-lines">
        <LinesTable lines={lines} totals={totals} currency={claim.currency} emptyText={t('lines.emptyClaim')} />
      </Section>
    </>
  );
}
