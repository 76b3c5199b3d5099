import { z } from 'zod';
import { id } from './common.ts';
import { customer } from './customers.ts';
import { contact } from './customers.ts';
import { lead } from './leads.ts';
import { opportunity, stageKey } from './opportunities.ts';

export const duplicateCheckBody = z
  .object({
    type: z.enum(['customer', 'lead']),
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(40).optional(),
    creditCode: z.string().trim().max(40).optional(),
    idNumber: z.string().trim().max(40).optional(),
    /** A business licence, organisation-code or tax number. */
    registration: z.string().trim().max(40).optional(),
    address: z.string().trim().max(300).optional(),
  })
  .refine((b) => [b.name, b.phone, b.creditCode, b.idNumber, b.registration].some((v) => v), {
    message: 'Give at least a name, a phone, a credit code, an ID or a registration number',
    path: ['name'],
  });
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
    type: z.enum(['customer', 'lead']),
    name: z.string(),
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
  customer,
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
