import { z } from 'zod';
import { csv, id, pageQuery, timestamp } from './common.ts';

/** Lead statuses of SPEC §2. */
export const leadStatuses = [
  'unassigned',
  'pending',
  'following',
  'invalid',
  'converted',
  'voided',
] as const;
export type LeadStatus = (typeof leadStatuses)[number];
export const leadStatus = z.enum(leadStatuses);

export const followUpTypes = ['call', 'visit', 'wechat', 'email', 'meeting', 'other'] as const;
export type FollowUpType = (typeof followUpTypes)[number];

export const lead = z
  .object({
    id,
    company: z.string().nullable(),
    contactName: z.string().nullable(),
    phone: z.string().nullable(),
    /** The phone in E.164, as normalised when stored. */
    phoneE164: z.string().nullable(),
    email: z.string().nullable(),
    address: z.string().nullable(),
    provinceCode: z.string().nullable(),
    cityCode: z.string().nullable(),
    districtCode: z.string().nullable(),
    source: z.string().nullable(),
    status: leadStatus,
    ownerId: id.nullable(),
    ownerName: z.string().nullable(),
    poolId: id.nullable(),
    claimedAt: timestamp.nullable(),
    lastFollowUpAt: timestamp.nullable(),
    /** Set while the lead waits for (or after) a verification call before distribution. */
    verification: z.enum(['pending', 'verified', 'wrong_number', 'no_intention']).nullable(),
    verificationNote: z.string().nullable(),
    invalidReason: z.string().nullable(),
    voidReason: z.string().nullable(),
    convertedCustomerId: id.nullable(),
    deletedAt: timestamp.nullable(),
    createdBy: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof lead>;

const text = (max: number) => z.string().trim().max(max);

const leadFields = {
  company: text(200).nullable().optional(),
  contactName: text(80).nullable().optional(),
  phone: text(40).nullable().optional(),
  email: z.email().nullable().optional(),
  address: text(300).nullable().optional(),
  source: text(60).nullable().optional(),
};

/**
 * Without `ownerId` the creator owns the lead (`pending`); `"ownerId": null`
 * puts it into the pool (`unassigned`); another user's id assigns it on creation.
 */
export const createLeadBody = z
  .object({ ...leadFields, ownerId: id.nullable().optional() })
  .refine((b) => [b.company, b.contactName, b.phone].some((v) => v), {
    message: 'A lead needs at least a company, a contact name or a phone',
    path: ['company'],
  });
export type CreateLeadBody = z.infer<typeof createLeadBody>;

export const updateLeadBody = z.object(leadFields);
export type UpdateLeadBody = z.infer<typeof updateLeadBody>;

/** Fields of a lead whose value the user may take from the merged-away lead. */
export const mergeableLeadFields = [
  'company',
  'contactName',
  'phone',
  'email',
  'address',
  'source',
] as const;

export const mergeLeadBody = z.object({
  /** The lead merged into this one; it stays as a pointer to the survivor. */
  otherId: id,
  /** Fields to take from the other lead; every other field keeps the survivor's value. */
  takeFromOther: z.array(z.enum(mergeableLeadFields)).max(mergeableLeadFields.length).default([]),
});
export type MergeLeadBody = z.infer<typeof mergeLeadBody>;

export const leadSortFields = [
  'createdAt',
  'updatedAt',
  'company',
  'status',
  'lastFollowUpAt',
  'claimedAt',
] as const;

export const leadListQuery = pageQuery.extend({
  status: csv.pipe(z.array(leadStatus)).optional(),
  ownerId: csv.pipe(z.array(id)).optional(),
  source: csv.optional(),
  poolId: id.optional(),
  /** `none`: records whose region no team's territory covers (or that have no region). */
  territory: z.enum(['none']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

export const reasonBody = z.object({
  reason: z.string().trim().min(1, 'A reason is required').max(500),
});
export type ReasonBody = z.infer<typeof reasonBody>;

export const assignBody = z.object({ ownerId: id });
export type AssignBody = z.infer<typeof assignBody>;

export const batchIdsBody = z.object({ ids: z.array(id).min(1).max(200) });
export type BatchIdsBody = z.infer<typeof batchIdsBody>;

export const batchAssignBody = batchIdsBody.extend({ ownerId: id });
export type BatchAssignBody = z.infer<typeof batchAssignBody>;

export const batchResult = z.object({
  results: z.array(
    z.object({
      id,
      ok: z.boolean(),
      error: z
        .object({ code: z.string(), message: z.string(), details: z.unknown().optional() })
        .optional(),
    }),
  ),
});
export type BatchResult = z.infer<typeof batchResult>;

export const createFollowUpBody = z.object({
  type: z.enum(followUpTypes),
  content: z.string().trim().min(1, 'Write what happened').max(5000),
  result: text(500).nullable().optional(),
  nextAt: timestamp.nullable().optional(),
});
export type CreateFollowUpBody = z.infer<typeof createFollowUpBody>;

export const followUp = z
  .object({
    id,
    entityType: z.enum(['lead', 'customer', 'opportunity']),
    entityId: id,
    authorId: id.nullable(),
    authorName: z.string().nullable(),
    type: z.enum(followUpTypes),
    content: z.string(),
    result: z.string().nullable(),
    nextAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'FollowUp' });
export type FollowUp = z.infer<typeof followUp>;

export const handoverActions = [
  'create',
  'claim',
  'assign',
  'return',
  'drop',
  'transfer',
  'restore',
] as const;
export type HandoverAction = (typeof handoverActions)[number];

export const timelineItem = z.object({
  at: timestamp,
  kind: z.enum(['audit', 'followUp']),
  actorName: z.string().nullable(),
  action: z.string(),
  followUp: followUp.optional(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).optional(),
});
export const timeline = z.object({ items: z.array(timelineItem) });
export type TimelineItem = z.infer<typeof timelineItem>;

export const agendaItem = z.object({
  followUp,
  /** The record the plan belongs to, as the caller sees it. */
  entityName: z.string().nullable(),
  overdue: z.boolean(),
});
export const agenda = z.object({ items: z.array(agendaItem) });
export type AgendaItem = z.infer<typeof agendaItem>;
export const agendaQuery = z.object({
  /** Plans due up to this moment (default: the end of today in Asia/Shanghai). */
  until: timestamp.optional(),
});

export const followUpEntityTypes = ['lead', 'customer', 'opportunity'] as const;
export const createAnyFollowUpBody = createFollowUpBody.extend({
  entityType: z.enum(followUpEntityTypes),
  entityId: id,
});
export type CreateAnyFollowUpBody = z.infer<typeof createAnyFollowUpBody>;
export const followUpSortFields = ['createdAt', 'nextAt'] as const;
export const followUpListQuery = pageQuery.extend({
  entityType: z.enum(followUpEntityTypes).optional(),
  entityId: id.optional(),
  authorId: id.optional(),
  type: csv.pipe(z.array(z.enum(followUpTypes))).optional(),
});
export type FollowUpListQuery = z.infer<typeof followUpListQuery>;

/** The author (or a manager over the record) corrects a follow-up; the record and type stay. */
export const updateFollowUpBody = z.object({
  content: z.string().trim().min(1).max(5000).optional(),
  result: text(500).nullable().optional(),
  nextAt: timestamp.nullable().optional(),
});
export type UpdateFollowUpBody = z.infer<typeof updateFollowUpBody>;
