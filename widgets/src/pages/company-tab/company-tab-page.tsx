import { Alert, AlertTitle, Chip } from '@mui/material';
import type { CompanyDealers } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { CardHeader } from '../../components/card-header.js';
import { cardIdOf } from '../../components/card-id.js';
import { DealerTerms } from '../../components/dealer-terms.js';
import { EmptyState } from '../../components/empty-state.js';
import { Section } from '../../components/section.js';
import { StageChip } from '../../components/stage-chip.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { useFrame } from '../../shell/frame.js';
import { useWidget } from '../../shell/widget-context.js';

/** The company card tab: the dealer this company belongs to (as the main company or a holding legal entity), or none. */
export function CompanyTabPage() {
  const { boot } = useWidget();
  const { t } = useI18n();
  const id = cardIdOf(boot);
  const state = useApi<CompanyDealers>(id ? `/companies/${id}/dealer` : null);
  useFrameTitle(t('company.title'));
  if (!id) return <EmptyState title={t('widget.noCard')} />;
  return <WidgetFrame><AsyncView state={state}>{(data) => <CompanyView data={data} />}</AsyncView></WidgetFrame>;
}

function CompanyView({ data }: { data: CompanyDealers }) {
  const { t } = useI18n();
  const { openPath, openChat } = useFrame();
  if (data.dealers.length === 0) {
    return (
      <Alert severity="info" data-testid="company-not-dealer">
        <AlertTitle>{t('company.notDealer', { name: data.company.title })}</AlertTitle>
        {t('company.notDealerHint')}
      </Alert>
    );
  }
  return (
    <>
      {data.dealers.map((d) => (
        <Section
          key={d.itemId}
          testId="company-dealer"
          title={d.companyRole === 'main' ? t('company.asMain') : t('company.asLegalEntity')}
          action={d.cardPath ? <Chip size="small" clickable label={t('common.open')} onClick={() => openPath(d.cardPath!)} /> : undefined}
        >
          <CardHeader title={d.title} chip={<StageChip name={d.stage.name} color={d.stage.color} />} />
          <DealerTerms dealer={d} onOpenManager={openChat} />
        </Section>
      ))}
    </>
  );
}
