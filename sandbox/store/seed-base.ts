import { randomToken } from '../core/random.js';
import { seedBaseStatuses } from '../crm/stages.js';
import type { SandboxStore } from './store.js';
import type { SUser } from './types.js';

/** What every portal has from its first minute: the administrator, the CRM reference lists and the deal pipeline. */
export function seedBase(store: SandboxStore, now: number): void {
  store.users.insert(makeUser({ ID: store.nextId('user'), NAME: 'Иван', LAST_NAME: 'Петров', SECOND_NAME: 'Сергеевич', EMAIL: 'admin@dealerhub.example', IS_ADMIN: true, role: 'admin', WORK_POSITION: 'Администратор портала', UF_DEPARTMENT: [1] }, now));
  seedBaseStatuses(store);
  // The default deal pipeline has id 0 (crm-category-list.md example).
  store.categories.insert({ id: 0, entityTypeId: 2, name: 'Общая', sort: 300, isDefault: true, code: null, createdDate: now, isSystem: true });
  store.webhooks.insert({ id: store.nextId('webhook'), userId: 1, secret: randomToken(16), scope: null, title: 'Администратор: все права' });
}

export function makeUser(partial: Partial<SUser> & Pick<SUser, 'ID' | 'NAME' | 'LAST_NAME' | 'EMAIL'>, now: number): SUser {
  return {
    ACTIVE: true,
    SECOND_NAME: '',
    LOGIN: partial.EMAIL,
    USER_TYPE: 'employee',
    IS_ADMIN: false,
    UF_DEPARTMENT: [],
    WORK_POSITION: '',
    WORK_PHONE: '',
    PERSONAL_MOBILE: '',
    PERSONAL_GENDER: '',
    PERSONAL_BIRTHDAY: '',
    DATE_REGISTER: now - 90 * 86_400_000,
    LAST_LOGIN: null,
    TIME_ZONE: 'Europe/Moscow',
    role: 'other',
    companyId: null,
    ...partial,
  };
}
