import { date, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { CustomerKind } from '@tide/contract';
import { ts } from '../../platform/tables.ts';

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind').$type<CustomerKind>().notNull(),
  name: text('name').notNull(),
  creditCode: text('credit_code'),
  phone: text('phone'),
  industry: text('industry'),
  size: text('size'),
  address: text('address'),
  tags: text('tags').array().notNull().default([]),
  source: text('source'),
  ownerId: uuid('owner_id'),
  poolId: uuid('pool_id'),
  claimedAt: ts('claimed_at'),
  lastFollowUpAt: ts('last_follow_up_at'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
  deletedBy: uuid('deleted_by'),
});
export type CustomerRow = typeof customers.$inferSelect;

export const contacts = pgTable('contacts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  name: text('name').notNull(),
  title: text('title'),
  phone: text('phone'),
  email: text('email'),
  wechat: text('wechat'),
  birthday: date('birthday', { mode: 'string' }),
  preferences: text('preferences'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
});
export type ContactRow = typeof contacts.$inferSelect;
