import { date, integer, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { OpportunityStatus } from '@tide/contract';
import { ts } from '../../platform/tables.ts';

export const opportunityStages = pgTable(
  'opportunity_stages',
  {
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    probability: integer('probability').notNull(),
    position: integer('position').notNull(),
    outcome: text('outcome').$type<OpportunityStatus>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const opportunities = pgTable('opportunities', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  name: text('name').notNull(),
  amount: numeric('amount', { precision: 14, scale: 2, mode: 'number' }),
  expectedCloseDate: date('expected_close_date', { mode: 'string' }),
  stageKey: text('stage_key').notNull(),
  probability: integer('probability').notNull(),
  status: text('status').$type<OpportunityStatus>().notNull(),
  lostReason: text('lost_reason'),
  closedAt: ts('closed_at'),
  ownerId: uuid('owner_id'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
  deletedBy: uuid('deleted_by'),
});
export type OpportunityRow = typeof opportunities.$inferSelect;

export const opportunityStageHistory = pgTable('opportunity_stage_history', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  opportunityId: uuid('opportunity_id').notNull(),
  fromStage: text('from_stage'),
  toStage: text('to_stage').notNull(),
  actorId: uuid('actor_id'),
  at: ts('at').notNull().defaultNow(),
});
