import { makeUser } from './seed-base.js';
import type { SandboxStore } from './store.js';
import type { SClassicRow, SUser } from './types.js';

/**
 * The demo portal: a manufacturer's staff (admin, managers, a service engineer) and two dealer companies whose people
 * are extranet users. Each dealer user has a CRM contact with the same e-mail, linked to the dealer's company, which
 * is how the app resolves extranet user → contact → company.
 */
export interface SeededUsers {
  admin: number;
  managers: number[];
  service: number[];
  extranet: number[];
  dealers: { companyId: number; title: string; userIds: number[]; contactIds: number[]; managerId: number }[];
  myCompanyId: number | null;
}

interface DealerSeed {
  title: string;
  inn: string;
  kpp: string;
  ogrn: string;
  city: string;
  phone: string;
  email: string;
  people: { NAME: string; LAST_NAME: string; SECOND_NAME: string; EMAIL: string; PERSONAL_GENDER: 'M' | 'F'; WORK_POSITION: string; phone: string }[];
}

const DEALERS: DealerSeed[] = [
  {
    title: 'ООО «ТехноСнаб»',
    inn: '7701234567',
    kpp: '770101001',
    ogrn: '1157746123456',
    city: 'Москва',
    phone: '+7 495 123-45-67',
    email: 'info@tehnosnab.example',
    people: [
      { NAME: 'Сергей', LAST_NAME: 'Иванов', SECOND_NAME: 'Петрович', EMAIL: 's.ivanov@tehnosnab.example', PERSONAL_GENDER: 'M', WORK_POSITION: 'Директор по закупкам', phone: '+7 916 100-10-10' },
      { NAME: 'Анна', LAST_NAME: 'Смирнова', SECOND_NAME: 'Викторовна', EMAIL: 'a.smirnova@tehnosnab.example', PERSONAL_GENDER: 'F', WORK_POSITION: 'Менеджер по закупкам', phone: '+7 916 100-10-11' },
    ],
  },
  {
    title: 'АО «СтройДилер»',
    inn: '7812345678',
    kpp: '781201001',
    ogrn: '1167847234567',
    city: 'Санкт-Петербург',
    phone: '+7 812 234-56-78',
    email: 'office@stroydiler.example',
    people: [
      { NAME: 'Павел', LAST_NAME: 'Новиков', SECOND_NAME: 'Андреевич', EMAIL: 'p.novikov@stroydiler.example', PERSONAL_GENDER: 'M', WORK_POSITION: 'Генеральный директор', phone: '+7 921 200-20-20' },
      { NAME: 'Елена', LAST_NAME: 'Попова', SECOND_NAME: 'Игоревна', EMAIL: 'e.popova@stroydiler.example', PERSONAL_GENDER: 'F', WORK_POSITION: 'Бухгалтер', phone: '+7 921 200-20-21' },
    ],
  },
];

const STAFF: { user: Partial<SUser> & Pick<SUser, 'NAME' | 'LAST_NAME' | 'EMAIL'>; role: SUser['role'] }[] = [
  { role: 'manager', user: { NAME: 'Мария', LAST_NAME: 'Соколова', SECOND_NAME: 'Александровна', EMAIL: 'm.sokolova@dealerhub.example', PERSONAL_GENDER: 'F', WORK_POSITION: 'Менеджер по работе с дилерами', UF_DEPARTMENT: [2] } },
  { role: 'manager', user: { NAME: 'Алексей', LAST_NAME: 'Волков', SECOND_NAME: 'Дмитриевич', EMAIL: 'a.volkov@dealerhub.example', PERSONAL_GENDER: 'M', WORK_POSITION: 'Менеджер по работе с дилерами', UF_DEPARTMENT: [2] } },
  { role: 'manager', user: { NAME: 'Ольга', LAST_NAME: 'Морозова', SECOND_NAME: 'Николаевна', EMAIL: 'o.morozova@dealerhub.example', PERSONAL_GENDER: 'F', WORK_POSITION: 'Руководитель отдела продаж', UF_DEPARTMENT: [2] } },
  { role: 'service', user: { NAME: 'Дмитрий', LAST_NAME: 'Кузнецов', SECOND_NAME: 'Олегович', EMAIL: 'd.kuznetsov@dealerhub.example', PERSONAL_GENDER: 'M', WORK_POSITION: 'Сервисный инженер', UF_DEPARTMENT: [3] } },
];

function company(store: SandboxStore, now: number, fields: Record<string, unknown>, fm: SClassicRow['fm']): number {
  const id = store.nextId('company');
  store.companies.insert({
    ID: id,
    fields: {
      COMPANY_TYPE: 'CUSTOMER', INDUSTRY: 'MANUFACTURING', EMPLOYEES: 'EMPLOYEES_2', CURRENCY_ID: 'RUB', REVENUE: 0, OPENED: 'Y',
      COMMENTS: '', HAS_PHONE: fm.some((m) => m.TYPE_ID === 'PHONE') ? 'Y' : 'N', HAS_EMAIL: fm.some((m) => m.TYPE_ID === 'EMAIL') ? 'Y' : 'N',
      HAS_IMOL: 'N', IS_MY_COMPANY: 'N', CREATED_BY_ID: 1, MODIFY_BY_ID: 1, DATE_CREATE: now, DATE_MODIFY: now,
      LAST_ACTIVITY_TIME: now, LAST_ACTIVITY_BY: 1, ...fields,
    },
    fm,
  });
  return id;
}

export function seedDemo(store: SandboxStore, now: number): SeededUsers {
  const staff = STAFF.map(({ user, role }) => {
    const u = makeUser({ ID: store.nextId('user'), role, ...user, LAST_LOGIN: now - 3_600_000 }, now);
    store.users.insert(u);
    return u;
  });
  const managers = staff.filter((u) => u.role === 'manager').map((u) => u.ID);
  const service = staff.filter((u) => u.role === 'service').map((u) => u.ID);

  const myCompanyId = company(store, now, { TITLE: 'ООО «DealerHub Производство»', IS_MY_COMPANY: 'Y', COMPANY_TYPE: 'OTHER', ASSIGNED_BY_ID: 1 }, [
    { ID: store.nextId('multifield'), TYPE_ID: 'EMAIL', VALUE_TYPE: 'WORK', VALUE: 'sales@dealerhub.example' },
  ]);

  const dealers = DEALERS.map((d, i) => {
    const managerId = managers[i % managers.length] as number;
    const companyId = company(store, now, { TITLE: d.title, ASSIGNED_BY_ID: managerId, ADDRESS_CITY: d.city, COMPANY_TYPE: 'PARTNER' }, [
      { ID: store.nextId('multifield'), TYPE_ID: 'PHONE', VALUE_TYPE: 'WORK', VALUE: d.phone },
      { ID: store.nextId('multifield'), TYPE_ID: 'EMAIL', VALUE_TYPE: 'WORK', VALUE: d.email },
    ]);
    store.requisites.insert({
      ID: store.nextId('requisite'),
      fields: {
        ENTITY_TYPE_ID: 4, ENTITY_ID: companyId, PRESET_ID: 1, NAME: 'Реквизиты', ACTIVE: 'Y', ADDRESS_ONLY: 'N', SORT: 500,
        RQ_COMPANY_NAME: d.title, RQ_COMPANY_FULL_NAME: d.title, RQ_INN: d.inn, RQ_KPP: d.kpp, RQ_OGRN: d.ogrn,
        DATE_CREATE: now, DATE_MODIFY: now, CREATED_BY_ID: 1, MODIFY_BY_ID: 1,
      },
      fm: [],
    });
    const userIds: number[] = [];
    const contactIds: number[] = [];
    for (const p of d.people) {
      const user = makeUser(
        { ID: store.nextId('user'), NAME: p.NAME, LAST_NAME: p.LAST_NAME, SECOND_NAME: p.SECOND_NAME, EMAIL: p.EMAIL, PERSONAL_GENDER: p.PERSONAL_GENDER, WORK_POSITION: p.WORK_POSITION, PERSONAL_MOBILE: p.phone, USER_TYPE: 'extranet', role: 'dealer', companyId },
        now,
      );
      store.users.insert(user);
      userIds.push(user.ID);
      const contactId = store.nextId('contact');
      store.contacts.insert({
        ID: contactId,
        fields: {
          NAME: p.NAME, LAST_NAME: p.LAST_NAME, SECOND_NAME: p.SECOND_NAME, POST: p.WORK_POSITION, TYPE_ID: 'PARTNER', SOURCE_ID: 'PARTNER',
          OPENED: 'Y', EXPORT: 'Y', HAS_PHONE: 'Y', HAS_EMAIL: 'Y', HAS_IMOL: 'N', ASSIGNED_BY_ID: managerId, COMPANY_ID: companyId,
          COMPANY_IDS: [companyId], CREATED_BY_ID: 1, MODIFY_BY_ID: 1, DATE_CREATE: now, DATE_MODIFY: now, LAST_ACTIVITY_TIME: now, LAST_ACTIVITY_BY: 1,
        },
        fm: [
          { ID: store.nextId('multifield'), TYPE_ID: 'EMAIL', VALUE_TYPE: 'WORK', VALUE: p.EMAIL },
          { ID: store.nextId('multifield'), TYPE_ID: 'PHONE', VALUE_TYPE: 'MOBILE', VALUE: p.phone },
        ],
      });
      contactIds.push(contactId);
    }
    const row = store.companies.get(companyId);
    if (row) row.fields.CONTACT_ID = contactIds;
    return { companyId, title: d.title, userIds, contactIds, managerId };
  });

  return {
    admin: 1,
    managers,
    service,
    extranet: dealers.flatMap((d) => d.userIds),
    dealers,
    myCompanyId,
  };
}

/** Reads the seeded roles back from the users table (after a restart from a persist file). */
export function seededUsersFrom(store: SandboxStore): SeededUsers {
  const users = store.users.all();
  const companies = new Map<number, number[]>();
  for (const u of users.filter((x) => x.role === 'dealer' && x.companyId)) companies.set(u.companyId as number, [...(companies.get(u.companyId as number) ?? []), u.ID]);
  return {
    admin: users.find((u) => u.role === 'admin')?.ID ?? 1,
    managers: users.filter((u) => u.role === 'manager').map((u) => u.ID),
    service: users.filter((u) => u.role === 'service').map((u) => u.ID),
    extranet: users.filter((u) => u.USER_TYPE === 'extranet').map((u) => u.ID),
    dealers: [...companies].map(([companyId, userIds]) => {
      const c = store.companies.get(companyId);
      const emails = new Set(userIds.map((id) => store.users.get(id)?.EMAIL.toLowerCase()));
      return {
        companyId,
        title: String(c?.fields.TITLE ?? ''),
        userIds,
        contactIds: store.contacts.filter((k) => k.fm.some((m) => m.TYPE_ID === 'EMAIL' && emails.has(m.VALUE.toLowerCase()))).map((k) => k.ID),
        managerId: Number(c?.fields.ASSIGNED_BY_ID ?? 1),
      };
    }),
    myCompanyId: store.companies.find((c) => c.fields.IS_MY_COMPANY === 'Y')?.ID ?? null,
  };
}
