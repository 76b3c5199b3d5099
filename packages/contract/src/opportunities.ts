import { z } from 'zod';
import { csv, id, pageQuery, timestamp } from './common.ts';

export const opportunityStatuses = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof opportunityStatuses)[number];

export const opportunityStage = z
  .object({
    key: z.string(),
    name: z.string(),
    probability: z.number().int().min(0).max(100),
    position: z.number().int(),
    /** `won` and `lost` stages close an opportunity. */
    outcome: z.enum(opportunityStatuses),
  })
  .meta({ id: 'OpportunityStage' });
export type OpportunityStage = z.infer<typeof opportunityStage>;

export const stageKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,29}$/, 'lowercase letters, digits and _');

/** The whole stage list of a tenant: open stages in order, plus exactly one won and one lost stage. */
export const putStagesBody = z.object({
  stages: z
    .array(
      z.object({
        key: stageKey,
        name: z.string().trim().min(1).max(30),
        probability: z.number().int().min(0).max(100),
        outcome: z.enum(opportunityStatuses),
      }),
    )
    .min(3)
    .max(20),
});
export type PutStagesBody = z.infer<typeof putStagesBody>;

export const opportunity = z
  .object({
    id,
    customerId: id,
    customerName: z.string(),
    name: z.string(),
    amount: z.number().nullable(),
    expectedCloseDate: z.iso.date().nullable(),
    stage: z.string(),
    stageName: z.string(),
    probability: z.number().int(),
    status: z.enum(opportunityStatuses),
    lostReason: z.string().nullable(),
    closedAt: timestamp.nullable(),
    ownerId: id.nullable(),
    ownerName: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Opportunity' });
export type Opportunity = z.infer<typeof opportunity>;

const amount = z.number().min(0).max(1e12).multipleOf(0.01);

export const createOpportunityBody = z.object({
  customerId: id,
  name: z.string().trim().min(1).max(200),
  amount: amount.nullable().optional(),
  expectedCloseDate: z.iso.date().nullable().optional(),
  /** An open stage; default the first. */
  stage: stageKey.optional(),
});
export type CreateOpportunityBody = z.infer<typeof createOpportunityBody>;

export const updateOpportunityBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  amount: amount.nullable().optional(),
  expectedCloseDate: z.iso.date().nullable().optional(),
});
export type UpdateOpportunityBody = z.infer<typeof updateOpportunityBody>;

/** Move to a stage; a lost stage needs a reason. Closed opportunities may be reopened into an open stage. */
export const moveStageBody = z.object({
  stage: stageKey,
  lostReason: z.string().trim().min(1).max(500).optional(),
});
export type MoveStageBody = z.infer<typeof moveStageBody>;

export const opportunitySortFields = [
  'createdAt',
  'updatedAt',
  'name',
  'amount',
  'expectedCloseDate',
  'probability',
] as const;

export const opportunityListQuery = pageQuery.extend({
  stage: csv.optional(),
  status: csv.pipe(z.array(z.enum(opportunityStatuses))).optional(),
  ownerId: csv.pipe(z.array(id)).optional(),
  customerId: id.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type OpportunityListQuery = z.infer<typeof opportunityListQuery>;

export const stageChange = z.object({
  fromStage: z.string().nullable(),
  toStage: z.string(),
  actorName: z.string().nullable(),
  at: timestamp,
});
export type StageChange = z.infer<typeof stageChange>;
