import { describe, expect, it } from 'vitest';
import type { Installed } from '../../../installer/index.js';
import type { SandboxPortal } from '../../../sandbox/index.js';
import { attachDefaultAutomation } from '../../../server/modules/orders/index.js';
import { ORDER_STAGE_KEYS } from '../../../server/modules/orders/order-stages.js';

/** The rules attachDefaultAutomation gives the portal, caught instead of stored. */
function attachedRules() {
  const rules: Array<{ stageId: string; robot: string; properties: Record<string, unknown> }> = [];
  const portal = { automation: { attach: (r: (typeof rules)[number]) => void rules.push(r) } } as unknown as SandboxPortal;
  const installed = { smartProcess: () => ({ entityTypeId: 1036, categoryId: null, stage: (key: string) => `DT1036_5:${key}` }) } as unknown as Installed;
  attachDefaultAutomation(portal, installed);
  return rules;
}

describe('default automation of the Orders pipeline', () => {
  it('when NotifyDealer messages are attached, then every stage has one and none names the order again (the robot puts «№DH-…:» in front)', () => {
    const notify = attachedRules().filter((r) => r.robot === 'dh_notify_dealer');
    expect(notify.map((r) => r.stageId)).toEqual(ORDER_STAGE_KEYS.map((k) => `DT1036_5:${k}`));
    for (const r of notify) {
      const message = String(r.properties.message);
      expect(message, r.stageId).not.toMatch(/\{=Document:(TITLE|ID)\}/);
      expect(message.trim().length, r.stageId).toBeGreaterThan(5);
      expect(r.properties.kind).toBe('order_status');
    }
    expect(notify.find((r) => r.stageId.endsWith(':shipped'))?.properties.message).toBe('Заказ отгружен');
  });

  it('when the pipeline is wired, then credit check and approval run on new, SendOrderToErp on agreed, ReserveStock on confirmed', () => {
    const work = attachedRules().filter((r) => r.robot !== 'dh_notify_dealer').map((r) => `${r.stageId.split(':')[1]}:${r.robot}`);
    expect(work).toEqual(['new:dh_check_dealer_credit', 'new:dh_request_manager_approval', 'agreed:dh_send_order_to_erp', 'confirmed:dh_reserve_stock']);
  });
});
