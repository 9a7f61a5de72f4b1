import type { SandboxPortal } from '../../portal.js';
import { resultOf } from '../../testing/rest-call.js';

/**
 * Content for page tests and demos, made the way an app and the people would make it — through REST: a smart process
 * "Заказы дилеров" with user fields of several types, orders of both dealer companies with product rows and timeline
 * comments, a deal, and (when an app's client id is given) that app's placements — a tab on orders, deals and
 * companies, a LEFT_MENU item, an IM_NAVIGATION item open to extranet users — a robot and a notification to a dealer.
 */
export interface UiDemo {
  entityTypeId: number;
  typeId: number;
  categoryId: number;
  itemIds: number[];
  dealId: number;
  stage: (code: string) => string;
  ufNames: { orderNo: string; delivery: string; urgent: string; erpSum: string; manager: string };
}

export interface UiDemoApp {
  clientId: string;
  /** Base URL of the app's pages; placements point to `${appUrl}/placement/<name>`. */
  appUrl: string;
  robotHandler?: string;
}

export async function seedUiDemo(portal: SandboxPortal, app?: UiDemoApp): Promise<UiDemo> {
  const hook = <T>(method: string, params: Record<string, unknown> = {}) => resultOf<T>(portal.webhookUrl, method, params);
  const type = await hook<{ type: { id: number; entityTypeId: number } }>('crm.type.add', {
    fields: { title: 'Заказы дилеров', isStagesEnabled: 'Y', isClientEnabled: 'Y', isLinkWithProductsEnabled: 'Y', isAutomationEnabled: 'Y', isBeginCloseDatesEnabled: 'Y', isObserversEnabled: 'Y' },
  });
  const { id: typeId, entityTypeId } = type.type;
  const categoryId = (await hook<{ categories: { id: number }[] }>('crm.category.list', { entityTypeId })).categories[0]!.id;
  const stage = (code: string) => `DT${entityTypeId}_${categoryId}:${code}`;
  const uf = (suffix: string, userTypeId: string, label: string, extra: Record<string, unknown> = {}) =>
    hook<{ field: { enum?: { id: string; value: string }[] } }>('userfieldconfig.add', {
      moduleId: 'crm',
      field: { entityId: `CRM_${typeId}`, fieldName: `UF_CRM_${typeId}_${suffix}`, userTypeId, editFormLabel: { ru: label }, ...extra },
    });
  await uf('ORDER_NO', 'string', 'Номер заказа в 1С');
  const delivery = await uf('DELIVERY', 'enumeration', 'Способ доставки', { enum: [{ value: 'Самовывоз', def: 'Y' }, { value: 'Доставка транспортной компанией' }] });
  await uf('URGENT', 'boolean', 'Срочный заказ');
  await uf('ERP_SUM', 'money', 'Сумма по данным 1С');
  await uf('MANAGER', 'employee', 'Персональный менеджер');
  const courier = delivery.field.enum!.find((e) => e.value.startsWith('Доставка'))!;
  const ufNames = { orderNo: `ufCrm${typeId}OrderNo`, delivery: `ufCrm${typeId}Delivery`, urgent: `ufCrm${typeId}Urgent`, erpSum: `ufCrm${typeId}ErpSum`, manager: `ufCrm${typeId}Manager` };

  const itemIds: number[] = [];
  const stages = ['NEW', 'PREPARATION', 'CLIENT', 'NEW', 'SUCCESS', 'PREPARATION'];
  for (let i = 0; i < stages.length; i++) {
    const dealer = portal.users.dealers[i % portal.users.dealers.length]!;
    const { item } = await hook<{ item: { id: number } }>('crm.item.add', {
      entityTypeId,
      fields: {
        title: `Заказ ДЛ-${String(1001 + i)}`,
        stageId: stage(stages[i]!),
        companyId: dealer.companyId,
        contactIds: dealer.contactIds.slice(0, 1),
        assignedById: dealer.managerId,
        [ufNames.orderNo]: `ЗК-00${1001 + i}`,
        [ufNames.delivery]: i % 2 ? Number(courier.id) : undefined,
        [ufNames.urgent]: i === 1 ? 'Y' : 'N',
        [ufNames.erpSum]: `${(125_400 + i * 18_250).toFixed(2)}|RUB`,
        [ufNames.manager]: dealer.managerId,
      },
    });
    itemIds.push(item.id);
    await hook('crm.item.productrow.set', {
      ownerType: `T${entityTypeId.toString(16)}`,
      ownerId: item.id,
      productRows: [
        { productName: 'Насос циркуляционный ЦН-25', price: 18_900, quantity: 2 + i, measureName: 'шт' },
        { productName: 'Фильтр сетчатый 1"', price: 1_250.5, quantity: 10, measureName: 'шт' },
      ],
    });
    await hook('crm.timeline.comment.add', { fields: { ENTITY_ID: item.id, ENTITY_TYPE: `dynamic_${entityTypeId}`, COMMENT: `Дилер «${dealer.title}» подтвердил состав заказа.` } });
  }
  const deal = await hook<{ item: { id: number } }>('crm.item.add', {
    entityTypeId: 2,
    fields: { title: 'Поставка насосного оборудования', companyId: portal.users.dealers[0]!.companyId, opportunity: 480_000, assignedById: portal.users.managers[0], stageId: 'PREPARATION' },
  });

  if (app) {
    const token = () => portal.issueTokens(portal.users.admin, app.clientId).accessToken;
    const asApp = <T>(method: string, params: Record<string, unknown>) => resultOf<T>(portal.clientEndpoint, method, { auth: token(), ...params });
    const bind = (PLACEMENT: string, name: string, TITLE: string, OPTIONS?: Record<string, unknown>) =>
      asApp('placement.bind', { PLACEMENT, HANDLER: `${app.appUrl}/placement/${name}`, TITLE, LANG_ALL: { ru: { TITLE } }, ...(OPTIONS ? { OPTIONS } : {}) });
    await bind(`CRM_DYNAMIC_${entityTypeId}_DETAIL_TAB`, 'order-tab', 'DealerHub: заказ');
    await bind('CRM_DEAL_DETAIL_TAB', 'deal-tab', 'DealerHub');
    await bind('CRM_COMPANY_DETAIL_TAB', 'dealer-tab', 'DealerHub: дилер');
    await bind('LEFT_MENU', 'menu', 'DealerHub');
    await bind('IM_NAVIGATION', 'cabinet', 'Кабинет дилера', { iconName: 'fa-briefcase', extranet: 'Y', role: 'USER' });
    await asApp('bizproc.robot.add', {
      CODE: 'dh_notify_dealer',
      HANDLER: app.robotHandler ?? `${app.appUrl}/robot/dh_notify_dealer`,
      AUTH_USER_ID: portal.users.admin,
      USE_SUBSCRIPTION: 'N',
      NAME: { ru: 'Уведомить дилера', en: 'Notify the dealer' },
      PROPERTIES: {
        message: { Name: { ru: 'Текст уведомления' }, Type: 'text', Required: 'Y', Default: 'Заказ {=Document:TITLE} переведён на новую стадию' },
        channel: { Name: { ru: 'Канал' }, Type: 'select', Options: { im: 'Уведомление в Битрикс24', email: 'E-mail' }, Default: 'im' },
      },
      DOCUMENT_TYPE: ['crm', 'Bitrix\\Crm\\Integration\\BizProc\\Document\\Dynamic', `DYNAMIC_${entityTypeId}`],
    });
    await asApp('bizproc.robot.add', {
      CODE: 'dh_send_to_erp',
      HANDLER: app.robotHandler ?? `${app.appUrl}/robot/dh_send_to_erp`,
      AUTH_USER_ID: portal.users.admin,
      USE_SUBSCRIPTION: 'N',
      NAME: { ru: 'Передать заказ в 1С' },
      PROPERTIES: { orderId: { Name: { ru: 'Заказ' }, Type: 'int', Required: 'Y', Default: '{=Document:ID}' } },
    });
    const dealerUser = portal.users.dealers[0]!.userIds[0]!;
    await asApp('im.notify.system.add', { USER_ID: dealerUser, MESSAGE: `Заказ [b]ДЛ-1001[/b] принят менеджером и передан в работу.` });
  }
  return { entityTypeId, typeId, categoryId, itemIds, dealId: deal.item.id, stage, ufNames };
}
