import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { FollowUpType } from '@tide/contract';
import { ts } from '../../platform/tables.ts';

export const followUps = pgTable('follow_ups', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  entityType: text('entity_type').$type<'lead' | 'customer' | 'opportunity'>().notNull(),
  entityId: uuid('entity_id').notNull(),
  authorId: uuid('author_id'),
  type: text('type').$type<FollowUpType>().notNull(),
  content: text('content').notNull(),
  result: text('result'),
  nextAt: ts('next_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
