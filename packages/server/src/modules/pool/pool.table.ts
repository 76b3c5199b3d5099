import {
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from '../../platform/tables.ts';

export const pools = pgTable('pools', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  /** The pool serves the users of this node's subtree. */
  nodeId: uuid('node_id').notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  protectDays: integer('protect_days').notNull().default(0),
  exemptWonDays: integer('exempt_won_days'),
  requireVerification: boolean('require_verification').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const poolRules = pgTable('pool_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  poolId: uuid('pool_id').notNull(),
  entity: text('entity', { enum: ['lead', 'customer'] }).notNull(),
  kind: text('kind', {
    enum: ['no_follow_up', 'no_visit', 'not_converted', 'no_won_opportunity'],
  }).notNull(),
  days: integer('days').notNull(),
  warnDays: integer('warn_days').notNull().default(0),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const capacityLimits = pgTable('capacity_limits', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  scope: text('scope', { enum: ['tenant', 'role', 'node', 'user'] }).notNull(),
  roleName: text('role_name'),
  nodeId: uuid('node_id'),
  userId: uuid('user_id'),
  entity: text('entity', { enum: ['lead', 'customer'] }).notNull(),
  maxRecords: integer('max_records'),
  dailyClaims: integer('daily_claims'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const capacityAdjustmentSettings = pgTable(
  'capacity_adjustment_settings',
  {
    tenantId: uuid('tenant_id').notNull(),
    entity: text('entity', { enum: ['lead', 'customer'] }).notNull(),
    enabled: boolean('enabled').notNull().default(false),
    raiseAtPercent: integer('raise_at_percent').notNull(),
    lowerBelowPercent: integer('lower_below_percent').notNull(),
    stepPercent: integer('step_percent').notNull(),
    minRecords: integer('min_records').notNull(),
    maxRecords: integer('max_records').notNull(),
    minSample: integer('min_sample').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.entity] })],
);

export const capacityAdjustments = pgTable('capacity_adjustments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  userId: uuid('user_id').notNull(),
  entity: text('entity', { enum: ['lead', 'customer'] }).notNull(),
  /** The first day of the month measured. */
  month: date('month').notNull(),
  handled: integer('handled').notNull(),
  converted: integer('converted').notNull(),
  rate: doublePrecision('rate').notNull(),
  beforeMax: integer('before_max').notNull(),
  maxRecords: integer('max_records').notNull(),
  at: ts('at').notNull().defaultNow(),
});

export const collusionSettings = pgTable('collusion_settings', {
  tenantId: uuid('tenant_id').primaryKey(),
  minHandovers: integer('min_handovers').notNull().default(3),
  windowDays: integer('window_days').notNull().default(30),
  claimHours: integer('claim_hours').notNull().default(24),
  block: boolean('block').notNull().default(false),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  userId: uuid('user_id').notNull(),
  kind: text('kind').notNull(),
  entity: text('entity'),
  entityId: uuid('entity_id'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  dedupeKey: text('dedupe_key'),
  readAt: ts('read_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
