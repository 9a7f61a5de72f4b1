import type { DecimalString } from '../../lib/decimal.js';
import type { Role } from '../access/index.js';

export type DealerStage = 'onboarding' | 'active' | 'paused' | 'closed';
export type DealerUserRole = Extract<Role, `dealer_${string}`>;

export interface Dealer {
  id: number;
  portalId: number;
  b24ItemId: number;
  title: string;
  stage: DealerStage;
  companyId: number | null;
  erpCustomerId: string | null;
  priceTypeErpId: string | null;
  dealerGroup: string | null;
  city: string | null;
  region: string | null;
  creditLimit: DecimalString | null;
  currency: string;
  paymentTermDays: number | null;
  blockOverLimit: boolean;
  blockOverdueDays: number | null;
  managerUserId: number | null;
  syncedAt: Date;
}

export interface DealerLegalEntity {
  id: number;
  dealerId: number;
  companyId: number;
  name: string;
  inn: string | null;
  kpp: string | null;
  erpCustomerId: string | null;
  isMain: boolean;
}

export interface DealerUser {
  id: number;
  portalId: number;
  dealerId: number;
  b24UserId: number;
  contactId: number | null;
  name: string;
  email: string | null;
  role: DealerUserRole;
  grants: string[];
  legalEntityIds: number[];
  notificationSettings: Record<string, boolean>;
  active: boolean;
}

/** What the Dealers smart-process item says, mapped to our keys (installer manifest field keys). */
export type DealerUpsert = Omit<Dealer, 'id' | 'syncedAt'>;
