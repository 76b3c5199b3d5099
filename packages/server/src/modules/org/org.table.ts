import { boolean, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../platform/tables.ts';

export const orgNodes = pgTable('org_nodes', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  parentId: uuid('parent_id'),
  name: text('name').notNull(),
  /** Materialised path of ids: `/<root>/<child>/…/<self>/`. */
  path: text('path').notNull(),
  depth: integer('depth').notNull(),
  managerId: uuid('manager_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  /** 'service' accounts have no password and act only through API tokens. */
  kind: text('kind').$type<'person' | 'service'>().notNull().default('person'),
  /** The permissions of a service account; people get theirs from roles. */
  permissions: text('permissions').array().notNull().default([]),
  passwordHash: text('password_hash'),
  nodeId: uuid('node_id').notNull(),
  email: text('email'),
  phone: text('phone'),
  active: boolean('active').notNull().default(true),
  deactivatedAt: ts('deactivated_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const roles = pgTable(
  'roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    name: text('name').notNull(),
    label: text('label'),
    builtin: boolean('builtin').notNull().default(false),
    permissions: text('permissions').array().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);

export const userRoles = pgTable(
  'user_roles',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    roleName: text('role_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleName] })],
);

export const territoryBindings = pgTable(
  'territory_bindings',
  {
    tenantId: uuid('tenant_id').notNull(),
    nodeId: uuid('node_id').notNull(),
    regionCode: text('region_code').notNull(),
    regionName: text('region_name').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.nodeId, t.regionCode] })],
);
