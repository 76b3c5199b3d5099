import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { LeadStatus } from '@tide/contract';
import { ts } from '../../platform/tables.ts';

export const leads = pgTable('leads', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  company: text('company'),
  contactName: text('contact_name'),
  phone: text('phone'),
  email: text('email'),
  address: text('address'),
  source: text('source'),
  phoneE164: text('phone_e164'),
  companyFolded: text('company_folded'),
  companyCore: text('company_core'),
  provinceCode: text('province_code'),
  cityCode: text('city_code'),
  districtCode: text('district_code'),
  status: text('status').$type<LeadStatus>().notNull(),
  statusBeforeVoid: text('status_before_void').$type<LeadStatus>(),
  ownerId: uuid('owner_id'),
  /** The public pool the lead belongs to; it sits there while it has no owner. */
  poolId: uuid('pool_id'),
  claimedAt: ts('claimed_at'),
  lastFollowUpAt: ts('last_follow_up_at'),
  lastVisitAt: ts('last_visit_at'),
  verification: text('verification').$type<
    'pending' | 'verified' | 'wrong_number' | 'no_intention'
  >(),
  verifiedBy: uuid('verified_by'),
  verifiedAt: ts('verified_at'),
  verificationNote: text('verification_note'),
  invalidReason: text('invalid_reason'),
  voidReason: text('void_reason'),
  convertedCustomerId: uuid('converted_customer_id'),
  convertedAt: ts('converted_at'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
  deletedBy: uuid('deleted_by'),
  mergedInto: uuid('merged_into'),
  mergedAt: ts('merged_at'),
});
export type LeadRow = typeof leads.$inferSelect;
