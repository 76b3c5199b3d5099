import { z } from 'zod';
import { id, pageQuery, timestamp } from './common.ts';
import { customer } from './customers.ts';
import { contact } from './customers.ts';
import { lead } from './leads.ts';
import { opportunity, stageKey } from './opportunities.ts';

/** Record types duplicate rules apply to. */
export const duplicateObjectTypes = ['lead', 'customer', 'contact'] as const;
export type DuplicateObjectType = (typeof duplicateObjectTypes)[number];

export const duplicateCheckBody = z
  .object({
    type: z.enum(duplicateObjectTypes),
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(40).optional(),
    creditCode: z.string().trim().max(40).optional(),
    idNumber: z.string().trim().max(40).optional(),
    /** A business licence, organisation-code or tax number. */
    registration: z.string().trim().max(40).optional(),
    address: z.string().trim().max(300).optional(),
    /** Contacts: an email, and the customer the contact belongs to (a name counts only there). */
    email: z.string().trim().max(200).optional(),
    customerId: id.optional(),
    /** Updates: the record itself, which is not its own duplicate. */
    excludeId: id.optional(),
  })
  .refine(
    (b) => [b.name, b.phone, b.creditCode, b.idNumber, b.registration, b.email].some((v) => v),
    {
      message:
        'Give at least a name, a phone, an email, a credit code, an ID or a registration number',
      path: ['name'],
    },
  );
export type DuplicateCheckBody = z.infer<typeof duplicateCheckBody>;

export const matchLevels = ['exact', 'likely', 'possible'] as const;
export type MatchLevel = (typeof matchLevels)[number];

/**
 * A record that may be the same. For records the caller may not see only the
 * name, owner and reasons are given (SPEC §1); the record itself stays 404.
 */
export const duplicateMatch = z
  .object({
    id,
    type: z.enum(duplicateObjectTypes),
    name: z.string(),
    /** Contacts: the customer the matching contact belongs to. */
    customerId: id.nullable().optional(),
    score: z.number().min(0).max(1),
    level: z.enum(matchLevels),
    reasons: z.array(z.string()),
    ownerName: z.string().nullable(),
    visible: z.boolean(),
  })
  .meta({ id: 'DuplicateMatch' });
export type DuplicateMatch = z.infer<typeof duplicateMatch>;

export const duplicateCheckResult = z.object({ matches: z.array(duplicateMatch) });
export type DuplicateCheckResult = z.infer<typeof duplicateCheckResult>;

/** What a rule may compare; `registration` is a licence, organisation-code or tax number. */
export const duplicateKeys = [
  'phone',
  'email',
  'creditCode',
  'idNumber',
  'registration',
  'name',
  'address',
] as const;
export type DuplicateKey = (typeof duplicateKeys)[number];

/** On create or update: `allow` checks nothing, `warn` saves and answers the matches, `block` refuses with 409 DUPLICATE. */
export const duplicateActions = ['allow', 'warn', 'block'] as const;
export type DuplicateAction = (typeof duplicateActions)[number];

/** A tenant's duplicate rule for one record type (SPEC §4), set by admins. */
export const duplicateRule = z
  .object({
    /** The keys that count; matches on other keys are ignored. */
    keys: z.array(z.enum(duplicateKeys)).min(1).max(duplicateKeys.length),
    /** Matches scoring below this (0..1) are not reported at all. */
    threshold: z.number().min(0).max(1),
    /** The weakest level at which a create or update warns or blocks. */
    level: z.enum(matchLevels),
    onCreate: z.enum(duplicateActions),
    onUpdate: z.enum(duplicateActions),
  })
  .meta({ id: 'DuplicateRule' });
export type DuplicateRule = z.infer<typeof duplicateRule>;

export const duplicateRules = z
  .object({ lead: duplicateRule, customer: duplicateRule, contact: duplicateRule })
  .meta({ id: 'DuplicateRules' });
export type DuplicateRules = z.infer<typeof duplicateRules>;

/** A created or updated record with the duplicates its `warn` rule found. */
export const withDuplicates = (record: z.ZodObject) =>
  record.extend({ duplicates: z.array(duplicateMatch).optional() });

export const convertLeadBody = z.object({
  /** Overrides of what the lead carries over (its company name becomes the customer name). */
  customer: z
    .object({
      name: z.string().trim().min(1).max(200).optional(),
      kind: z.enum(['company', 'person']).optional(),
      creditCode: z.string().trim().max(40).nullable().optional(),
      industry: z.string().trim().max(60).nullable().optional(),
      size: z.string().trim().max(40).nullable().optional(),
    })
    .optional(),
  /**
   * Create a new customer although the duplicate check on create found a matching one:
   * allowed when the match is only `possible`, or for a manager; the conversion's audit
   * entry names the match passed over.
   */
  createNew: z.boolean().optional(),
  /** Create a contact from the lead's contact name, phone and email (default: when it has a contact name). */
  createContact: z.boolean().optional(),
  opportunity: z
    .object({
      name: z.string().trim().min(1).max(200),
      amount: z.number().min(0).max(1e12).nullable().optional(),
      expectedCloseDate: z.iso.date().nullable().optional(),
      stage: stageKey.optional(),
    })
    .optional(),
});
export type ConvertLeadBody = z.infer<typeof convertLeadBody>;

export const convertLeadResult = z.object({
  lead,
  /** Absent when the lead was linked to a colleague's customer the caller may not see. */
  customer: customer.optional(),
  /** The customer the lead now points at, named even when the caller may not see it. */
  customerId: id,
  customerName: z.string(),
  customerOwnerName: z.string().nullable(),
  contact: contact.optional(),
  opportunity: opportunity.optional(),
  /** An existing customer matched the lead and was linked instead of a new one. */
  linkedExisting: z.boolean(),
});
export type ConvertLeadResult = z.infer<typeof convertLeadResult>;

export const tenantSettings = z.object({
  /** 新建查重: conversion links an existing matching customer instead of creating one. */
  duplicateCheckOnCreate: z.boolean(),
});
export type TenantSettings = z.infer<typeof tenantSettings>;
export const updateTenantSettingsBody = tenantSettings.partial();
export type UpdateTenantSettingsBody = z.infer<typeof updateTenantSettingsBody>;

/** Record types the duplicate report scans. */
export const duplicateReportTypes = ['customer', 'lead'] as const;
export const duplicateReportStatuses = ['queued', 'running', 'done', 'failed'] as const;

/** A run of the duplicate report: a background job with its progress. */
export const duplicateReport = z
  .object({
    id,
    objectType: z.enum(duplicateReportTypes),
    status: z.enum(duplicateReportStatuses),
    /** What the job is doing now: `identity`, `names`, `fuzzy`, `clusters`. */
    phase: z.string().nullable(),
    /** 0..1. */
    progress: z.number(),
    /** Records scanned, pairs linked and clusters found, once known. */
    records: z.number().int().nullable(),
    pairs: z.number().int().nullable(),
    clusters: z.number().int().nullable(),
    error: z.string().nullable(),
    requestedBy: id.nullable(),
    requestedByName: z.string().nullable(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'DuplicateReport' });
export type DuplicateReport = z.infer<typeof duplicateReport>;

export const createDuplicateReportBody = z.object({
  type: z.enum(duplicateReportTypes).default('customer'),
});
export type CreateDuplicateReportBody = z.infer<typeof createDuplicateReportBody>;

/** A record in a cluster; one the caller may not see shows only its name and owner (SPEC §1). */
export const duplicateClusterMember = z.object({
  id,
  name: z.string(),
  ownerName: z.string().nullable(),
  visible: z.boolean(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: timestamp.nullable(),
});
export type DuplicateClusterMember = z.infer<typeof duplicateClusterMember>;

/** Records the report takes for one entity, with the weakest link that joins them. */
export const duplicateCluster = z
  .object({
    no: z.number().int(),
    level: z.enum(matchLevels),
    score: z.number(),
    size: z.number().int(),
    reasons: z.array(z.string()),
    members: z.array(duplicateClusterMember),
  })
  .meta({ id: 'DuplicateCluster' });
export type DuplicateCluster = z.infer<typeof duplicateCluster>;

export const duplicateClusterQuery = pageQuery.extend({
  level: z.enum(matchLevels).optional(),
});
export type DuplicateClusterQuery = z.infer<typeof duplicateClusterQuery>;
