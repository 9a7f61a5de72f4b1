import type { AutomationEngine } from '../bizproc/engine.js';
import { batchMethod } from '../rest/batch.js';
import type { MethodRegistry } from '../rest/registry.js';
import { bizprocMethods } from './bizproc/bizproc.methods.js';
import { crmCategoryMethods } from './crm-category/crm-category.methods.js';
import { classicCrmMethods } from './crm-classic/classic.methods.js';
import { crmItemMethods } from './crm-item/crm-item.methods.js';
import { crmStatusMethods } from './crm-status/crm-status.methods.js';
import { crmTypeMethods } from './crm-type/crm-type.methods.js';
import { eventMethods } from './event/event.methods.js';
import { imMethods } from './im/im.methods.js';
import { placementMethods } from './placement/placement.methods.js';
import { productRowMethods } from './productrow/productrow.methods.js';
import { systemMethods } from './system/system.methods.js';
import { timelineMethods } from './timeline/timeline.methods.js';
import { userMethods } from './user/user.methods.js';
import { userfieldconfigMethods } from './userfieldconfig/userfieldconfig.methods.js';

/** Every REST method the sandbox portal answers. */
export function registerAllMethods(registry: MethodRegistry, automation: () => AutomationEngine): void {
  registry.add(
    batchMethod,
    ...systemMethods,
    ...userMethods,
    ...crmTypeMethods,
    ...crmItemMethods,
    ...crmCategoryMethods,
    ...crmStatusMethods,
    ...userfieldconfigMethods,
    ...classicCrmMethods,
    ...productRowMethods,
    ...timelineMethods,
    ...placementMethods,
    ...eventMethods,
    ...bizprocMethods(automation),
    ...imMethods,
  );
}
