import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { HandoverAction } from '@tide/contract';
import { ts } from '../../platform/tables.ts';

/** Every change of hands of a lead or customer: protection periods, collusion checks and pool reports read it. */
export const handovers = pgTable('handovers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  entity: text('entity').$type<'lead' | 'customer'>().notNull(),
  entityId: uuid('entity_id').notNull(),
  action: text('action').$type<HandoverAction>().notNull(),
  fromUserId: uuid('from_user_id'),
  toUserId: uuid('to_user_id'),
  poolId: uuid('pool_id'),
  reason: text('reason'),
  ruleId: uuid('rule_id'),
  actorId: uuid('actor_id'),
  at: ts('at').notNull().defaultNow(),
});
