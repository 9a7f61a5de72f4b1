import type { WidgetBootstrap } from '../shell/bootstrap.js';

/** The id of the card a tab was opened in (PLACEMENT_OPTIONS.ID, widgets/crm/detail-tab.md). */
export function cardIdOf(boot: WidgetBootstrap): number | null {
  const id = Number(boot.placementOptions.ID);
  return Number.isInteger(id) && id > 0 ? id : null;
}
