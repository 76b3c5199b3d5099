import { boolean, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/tables.ts';

export const pools = pgTable('pools', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  /** The pool serves the users of this node's subtree. */
  nodeId: uuid('node_id').notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
