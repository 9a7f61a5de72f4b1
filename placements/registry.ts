import { PLACEMENTS, type LangText, type SmartProcessKey } from '../installer/manifest.js';
import type { Role } from '../server/modules/access/index.js';

/**
 * Widgets as data (STYLE.md §6): which built page serves a widget, its title, who may open it and which manifest
 * placements (installer/manifest.ts PLACEMENTS keys) lead to it. The placement handler, the installer and the tests
 * read this one table.
 */
export type WidgetKey = 'order-tab' | 'dealer-tab' | 'claim-tab' | 'company-tab' | 'cabinet' | 'admin';

export interface WidgetEntry {
  key: WidgetKey;
  /** The built page: dist/widgets/pages/<entry>.html (source widgets/pages/<entry>.html). */
  entry: string;
  title: LangText;
  roles: readonly Role[];
  /** Manifest placement keys whose handler opens this widget. */
  placementKeys: readonly string[];
  /** The smart process whose card the widget sits in (its id comes in PLACEMENT_OPTIONS.ID). */
  cardOf?: SmartProcessKey | 'company';
}

const STAFF: readonly Role[] = ['admin', 'manager', 'service'];
const EVERYONE: readonly Role[] = ['admin', 'manager', 'service', 'dealer_head', 'dealer_buyer', 'dealer_accountant', 'dealer_viewer'];

export const WIDGETS: Record<WidgetKey, WidgetEntry> = {
  'order-tab': { key: 'order-tab', entry: 'order-tab', title: { ru: 'DealerHub: заказ', en: 'DealerHub: order' }, roles: STAFF, placementKeys: ['orderTab'], cardOf: 'orders' },
  'dealer-tab': { key: 'dealer-tab', entry: 'dealer-tab', title: { ru: 'DealerHub: дилер', en: 'DealerHub: dealer' }, roles: STAFF, placementKeys: ['dealerTab'], cardOf: 'dealers' },
  'claim-tab': { key: 'claim-tab', entry: 'claim-tab', title: { ru: 'DealerHub: рекламация', en: 'DealerHub: claim' }, roles: STAFF, placementKeys: ['claimTab'], cardOf: 'claims' },
  'company-tab': { key: 'company-tab', entry: 'company-tab', title: { ru: 'DealerHub: дилер', en: 'DealerHub: dealer' }, roles: STAFF, placementKeys: ['companyTab'], cardOf: 'company' },
  cabinet: { key: 'cabinet', entry: 'cabinet', title: { ru: 'Кабинет дилера', en: 'Dealer cabinet' }, roles: EVERYONE, placementKeys: ['cabinetMenu', 'cabinetExtranet'] },
  admin: { key: 'admin', entry: 'admin', title: { ru: 'DealerHub: настройки', en: 'DealerHub: settings' }, roles: ['admin'], placementKeys: ['admin'] },
};

export const WIDGET_KEYS = Object.keys(WIDGETS) as WidgetKey[];

export function widgetByKey(key: string): WidgetEntry | null {
  return (WIDGETS as Record<string, WidgetEntry | undefined>)[key] ?? null;
}

/** The handler path of a widget (`/placement/<key>`), as the manifest binds it. */
export const widgetHandlerPath = (key: WidgetKey): string => `/placement/${key}`;

/**
 * The PLACEMENT codes a widget answers to on a portal with these smart processes (CRM_DYNAMIC_<eTI>_DETAIL_TAB …).
 * `DEFAULT` (the app's own page, POST /app) is not a placement of any widget but of the app entry.
 */
export function placementCodesOf(key: WidgetKey, entityTypeIds: Partial<Record<SmartProcessKey, number>>): string[] {
  const entry = WIDGETS[key];
  const codes: string[] = [];
  for (const spec of PLACEMENTS.filter((p) => entry.placementKeys.includes(p.key))) {
    if (typeof spec.code === 'string') codes.push(spec.code);
    else {
      try {
        const code = spec.code(entityTypeIds as Record<SmartProcessKey, number>);
        if (!code.includes('undefined')) codes.push(code);
      } catch {
        // a smart process not installed yet: no code for it
      }
    }
  }
  return codes;
}

/** Every manifest placement's handler path is served by a registered widget or the app entry (checked by a test). */
export function widgetOfHandlerPath(path: string): WidgetKey | 'app' | null {
  if (path === '/app') return 'app';
  const m = /^\/placement\/([a-z-]+)$/.exec(path);
  return m && widgetByKey(m[1]!) ? (m[1] as WidgetKey) : null;
}
