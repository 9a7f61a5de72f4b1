import { describe, expect, it } from 'vitest';
import { PLACEMENTS } from '../../../installer/manifest.js';
import { placementCodesOf, WIDGETS, widgetOfHandlerPath, WIDGET_KEYS } from '../../../placements/registry.js';
import { ROBOT_DEFINITIONS } from '../../../robots/definitions.js';
import { ROBOTS } from '../../../robots/registry.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

describe('placement registry', () => {
  it('when the manifest binds a placement, then its handler path is served by a registered widget or the app entry', () => {
    for (const p of PLACEMENTS) expect(widgetOfHandlerPath(p.handlerPath), p.key).not.toBeNull();
  });

  it('when a widget is registered, then its page source exists and it names the manifest placements that lead to it', () => {
    for (const key of WIDGET_KEYS) {
      expect(existsSync(resolve(import.meta.dirname, '../../../widgets/pages', `${WIDGETS[key].entry}.html`)), key).toBe(true);
      for (const pk of WIDGETS[key].placementKeys) expect(PLACEMENTS.some((p) => p.key === pk), `${key}:${pk}`).toBe(true);
    }
  });

  it('when the smart processes are installed, then card tabs answer to CRM_DYNAMIC_<eTI>_DETAIL_TAB and the cabinet to LEFT_MENU and IM_NAVIGATION', () => {
    const ids = { dealers: 1034, orders: 1036, claims: 1038 };
    expect(placementCodesOf('order-tab', ids)).toEqual(['CRM_DYNAMIC_1036_DETAIL_TAB']);
    expect(placementCodesOf('dealer-tab', ids)).toEqual(['CRM_DYNAMIC_1034_DETAIL_TAB']);
    expect(placementCodesOf('claim-tab', ids)).toEqual(['CRM_DYNAMIC_1038_DETAIL_TAB']);
    expect(placementCodesOf('company-tab', ids)).toEqual(['CRM_COMPANY_DETAIL_TAB']);
    expect(placementCodesOf('cabinet', ids)).toEqual(['LEFT_MENU', 'IM_NAVIGATION']);
    expect(placementCodesOf('order-tab', {})).toEqual([]);
  });

  it('when roles are listed, then card tabs and admin are staff-only and the cabinet is open to every role', () => {
    for (const key of ['order-tab', 'dealer-tab', 'claim-tab', 'company-tab'] as const) expect(WIDGETS[key].roles.some((r) => r.startsWith('dealer_'))).toBe(false);
    expect(WIDGETS.admin.roles).toEqual(['admin']);
    expect(WIDGETS.cabinet.roles).toContain('dealer_viewer');
  });

  it('when robots are defined as data, then every code has a handler in the registry', () => {
    expect(Object.keys(ROBOTS).sort()).toEqual(ROBOT_DEFINITIONS.map((r) => r.code).sort());
  });
});
