/**
 * Shapes of the /api answers the widgets read (server side: placements/api/*.ts). Money and quantities are decimal
 * strings; dates are ISO strings.
 */
export interface StageInfo {
  id: string;
  key: string | null;
  name: string;
  color: string | null;
  semantics: 'P' | 'S' | 'F' | null;
}

export interface ProductLine {
  id: number;
  productId: number | null;
  name: string;
  quantity: string;
  measure: string | null;
  price: string;
  discountSum: string;
  taxRate: string | null;
  taxIncluded: boolean;
  sum: string;
}

export interface LinesTotals {
  lines: number;
  quantity: string;
  discount: string;
  amount: string;
}

export interface CardDealer {
  itemId: number;
  title: string;
  cardPath: string | null;
}

export interface CardLegalEntity {
  companyId: number;
  name: string;
  inn: string | null;
}

export interface Option {
  key: string;
  label: string;
}

export interface OrderCard {
  order: {
    id: number;
    title: string;
    number: string | null;
    stage: StageInfo;
    dealer: CardDealer | null;
    legalEntity: CardLegalEntity | null;
    delivery: { method: Option | null; address: string | null; desiredDate: string | null; warehouse: string | null };
    erp: { number: string | null; status: string | null };
    creditCheck: string | null;
    changesPending: boolean;
    comment: string | null;
    source: Option | null;
    submittedBy: number | null;
    currency: string;
    opportunity: string | null;
    createdTime: string | null;
    updatedTime: string | null;
    cardPath: string;
  };
  lines: ProductLine[];
  totals: LinesTotals;
}

export interface ClaimCard {
  claim: {
    id: number;
    title: string;
    number: string | null;
    stage: StageInfo;
    dealer: CardDealer | null;
    legalEntity: CardLegalEntity | null;
    product: { sku: string | null; name: string | null; serialNumber: string | null };
    purchase: { document: string | null; date: string | null };
    defect: string | null;
    resolution: Option | null;
    erpNumber: string | null;
    order: { id: number; cardPath: string } | null;
    currency: string;
    createdTime: string | null;
    cardPath: string;
  };
  lines: ProductLine[];
  totals: LinesTotals;
}

export interface PersonRef {
  id: number;
  name: string;
}

export interface DealerSummary {
  /** DealerHub's dealer id (dealers.id): the catalog's dealerId when staff act as the dealer. */
  id: number;
  itemId: number;
  title: string;
  stage: { key: string; name: string; color: string | null };
  companyId: number | null;
  erpCustomerId: string | null;
  priceType: string | null;
  /** The ERP's name of the price type (priceType is its ERP id on most portals); absent in older answers. */
  priceTypeName?: string | null;
  dealerGroup: Option | null;
  city: string | null;
  region: string | null;
  creditLimit: string | null;
  currency: string;
  paymentTermDays: number | null;
  blocking: { overLimit: boolean; overdueDays: number | null };
  manager: PersonRef | null;
  syncedAt: string;
  cardPath: string | null;
}

export interface LegalEntity {
  id: number;
  companyId?: number;
  name: string;
  inn: string | null;
  kpp: string | null;
  erpCustomerId?: string | null;
  isMain: boolean;
}

export interface DealerUser {
  id: number;
  b24UserId: number;
  name: string;
  email: string | null;
  role: string;
  grants: string[];
  legalEntityIds: number[];
  active: boolean;
}

export interface DealerFinance {
  currency: string;
  erpCustomerIds: string[];
  hasErpData: boolean;
  debt: string | null;
  overdue: string | null;
  overdueDays: number | null;
  creditLimit: string | null;
  creditLimitSource: 'dealer' | 'erp' | null;
  availableCredit: string | null;
  asOf: string | null;
  otherCurrencies: string[];
}

export interface DealerCard {
  dealer: DealerSummary;
  legalEntities: LegalEntity[];
  users: DealerUser[] | null;
  finance: DealerFinance | null;
  can: { manageUsers: boolean; manageDealer: boolean; readFinance: boolean };
}

export interface CompanyDealers {
  company: { id: number; title: string };
  dealers: Array<DealerSummary & { companyRole: 'main' | 'legal-entity' }>;
}

export type CabinetHome =
  | { kind: 'dealer'; me: { userId: number; name: string; role: string; permissions: string[] }; dealer: DealerSummary; legalEntities: LegalEntity[] }
  | { kind: 'staff'; me: { userId: number; role: string; permissions: string[] }; dealersTotal: number };

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface AdminSettings {
  portal: { domain: string; memberId: string; appVersion: number | null; installedAt: string | null; installFinished: boolean };
  roles: { serviceUserIds: number[]; serviceUsers: PersonRef[] };
  installer: {
    manifestVersion: number;
    installedVersion: number | null;
    upToDate: boolean;
    smartProcesses: Array<{ key: string; title: string; installed: boolean; entityTypeId: number | null; fields: number; fieldsExpected: number; stages: number; stagesExpected: number; listPath: string | null }>;
    lastRun: { status: 'running' | 'done' | 'failed'; startedAt: string; finishedAt: string | null; errors: Array<{ step: string; message: string }> } | null;
  };
}

export interface Employee extends PersonRef {
  position: string | null;
  email: string | null;
}
