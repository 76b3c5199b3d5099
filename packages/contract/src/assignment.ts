import { z } from 'zod';
import { id, timestamp } from './common.ts';
import { poolEntities } from './pools.ts';

/**
 * How records are shared out (SPEC §5): in turn; at random; to whoever holds the fewest
 * open records (most capacity left on a tie); the list cut into equal consecutive parts;
 * or by profile, scoring each rep's history (conversion and win rates by source, region,
 * industry, size and customer type) against the record. Every strategy respects territory
 * and capacity.
 */
export const assignmentStrategies = [
  'round_robin',
  'random',
  'load_balanced',
  'even_split',
  'profile',
] as const;
export type AssignmentStrategy = (typeof assignmentStrategies)[number];

export const distributeBody = z
  .object({
    entity: z.enum(poolEntities),
    ids: z.array(id).min(1).max(10_000),
    strategy: z.enum(assignmentStrategies),
    /** The reps to share among… */
    userIds: z.array(id).max(1000).optional(),
    /** …or the reps of this node's subtree (those who may claim). */
    nodeId: id.optional(),
  })
  .refine((b) => (b.userIds?.length ?? 0) > 0 || b.nodeId !== undefined, {
    message: 'Name the reps (userIds) or their team (nodeId)',
    path: ['userIds'],
  });
export type DistributeBody = z.input<typeof distributeBody>;

export const distributeResult = z
  .object({
    assigned: z.number().int(),
    /** Records given to each rep. */
    byUser: z.record(z.string(), z.number().int()),
    /** Records left in the pool, with the reason. */
    skipped: z.array(z.object({ id, reason: z.string() })),
  })
  .meta({ id: 'DistributeResult' });
export type DistributeResult = z.infer<typeof distributeResult>;

export const assignmentRuleBody = z
  .object({
    poolId: id,
    name: z.string().trim().min(1).max(60),
    priority: z.number().int().min(0).max(10_000).default(100),
    enabled: z.boolean().default(true),
    /** Conditions on a new lead; an empty list matches anything. */
    sources: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
    regionCodes: z
      .array(z.string().regex(/^[0-9]{6}$/))
      .max(200)
      .default([]),
    industries: z.array(z.string().trim().min(1).max(60)).max(50).default([]),
    strategy: z.enum(assignmentStrategies),
    userIds: z.array(id).max(1000).default([]),
    nodeId: id.nullable().default(null),
  })
  .refine((b) => b.userIds.length > 0 || b.nodeId !== null, {
    message: 'Name the reps (userIds) or their team (nodeId)',
    path: ['userIds'],
  });
export type AssignmentRuleBody = z.input<typeof assignmentRuleBody>;

export const assignmentRule = z
  .object({
    id,
    poolId: id,
    name: z.string(),
    priority: z.number().int(),
    enabled: z.boolean(),
    sources: z.array(z.string()),
    regionCodes: z.array(z.string()),
    industries: z.array(z.string()),
    strategy: z.enum(assignmentStrategies),
    userIds: z.array(id),
    nodeId: id.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'AssignmentRule' });
export type AssignmentRule = z.infer<typeof assignmentRule>;

/* ---------- Verification queue (外呼核实) ---------- */

export const verificationResults = ['verified', 'wrong_number', 'no_intention'] as const;
export type VerificationResult = (typeof verificationResults)[number];
export const verificationStates = ['pending', ...verificationResults] as const;

export const verifyBody = z.object({
  result: z.enum(verificationResults),
  note: z.string().trim().max(500).optional(),
});
export type VerifyBody = z.infer<typeof verifyBody>;

/* ---------- Public web intake ---------- */

export const intakeForm = z
  .object({
    id,
    name: z.string(),
    /** Put in the website's form; it names the form and grants nothing else. */
    formKey: z.string(),
    poolId: id,
    source: z.string(),
    perMinute: z.number().int(),
    enabled: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: 'IntakeForm' });
export type IntakeForm = z.infer<typeof intakeForm>;

export const intakeFormBody = z.object({
  name: z.string().trim().min(1).max(60),
  poolId: id,
  source: z.string().trim().min(1).max(60),
  perMinute: z.number().int().min(1).max(10_000).default(10),
  enabled: z.boolean().default(true),
});
export type IntakeFormBody = z.input<typeof intakeFormBody>;

/** What a website form posts. `website` is a honeypot: people leave it empty. */
export const intakeLeadBody = z
  .object({
    formKey: z.string().min(8).max(100),
    company: z.string().trim().max(200).optional(),
    contactName: z.string().trim().max(100).optional(),
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(200).optional(),
    address: z.string().trim().max(300).optional(),
    message: z.string().trim().max(2000).optional(),
    website: z.string().max(500).optional(),
  })
  .refine((b) => Boolean(b.phone ?? b.email), {
    message: 'Leave a phone number or an email address',
    path: ['phone'],
  });
export type IntakeLeadBody = z.infer<typeof intakeLeadBody>;
export const intakeAccepted = z.object({ accepted: z.literal(true) });
