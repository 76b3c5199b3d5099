import { z } from 'zod';
import { csv, id, pageQuery, timestamp } from './common.ts';

export const customerKinds = ['company', 'person'] as const;
export type CustomerKind = (typeof customerKinds)[number];

export const customer = z
  .object({
    id,
    kind: z.enum(customerKinds),
    name: z.string(),
    creditCode: z.string().nullable(),
    idNumber: z.string().nullable(),
    licenceNumber: z.string().nullable(),
    orgCode: z.string().nullable(),
    taxNumber: z.string().nullable(),
    phone: z.string().nullable(),
    /** The phone in E.164, as normalised when stored. */
    phoneE164: z.string().nullable(),
    industry: z.string().nullable(),
    size: z.string().nullable(),
    address: z.string().nullable(),
    /** Division codes parsed from the address (2023 statistics-bureau codes). */
    provinceCode: z.string().nullable(),
    cityCode: z.string().nullable(),
    districtCode: z.string().nullable(),
    addressDetail: z.string().nullable(),
    /** WGS-84. */
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    lifecycleStage: z.string().nullable(),
    valueTier: z.enum(['high', 'mid', 'low']).nullable(),
    tags: z.array(z.string()),
    source: z.string().nullable(),
    /** `private`: owned by a rep; `public`: in a public pool. */
    poolState: z.enum(['private', 'public']),
    ownerId: id.nullable(),
    ownerName: z.string().nullable(),
    poolId: id.nullable(),
    claimedAt: timestamp.nullable(),
    lastFollowUpAt: timestamp.nullable(),
    createdBy: id.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Customer' });
export type Customer = z.infer<typeof customer>;

const text = (max: number) => z.string().trim().max(max);
const customerFields = {
  creditCode: text(40).nullable().optional(),
  idNumber: text(40).nullable().optional(),
  licenceNumber: text(40).nullable().optional(),
  orgCode: text(40).nullable().optional(),
  taxNumber: text(40).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  lifecycleStage: text(40).nullable().optional(),
  valueTier: z.enum(['high', 'mid', 'low']).nullable().optional(),
  phone: text(40).nullable().optional(),
  industry: text(60).nullable().optional(),
  size: text(40).nullable().optional(),
  address: text(300).nullable().optional(),
  tags: z.array(text(30).min(1)).max(30).optional(),
  source: text(60).nullable().optional(),
};

/** The same owner rule as leads: absent = the creator, null = the pool. */
export const createCustomerBody = z.object({
  name: text(200).min(1, 'A customer needs a name'),
  kind: z.enum(customerKinds).default('company'),
  ...customerFields,
  ownerId: id.nullable().optional(),
});
export type CreateCustomerBody = z.infer<typeof createCustomerBody>;

export const updateCustomerBody = z.object({
  name: text(200).min(1).optional(),
  kind: z.enum(customerKinds).optional(),
  ...customerFields,
});
export type UpdateCustomerBody = z.infer<typeof updateCustomerBody>;

export const customerSortFields = [
  'createdAt',
  'updatedAt',
  'name',
  'lastFollowUpAt',
  'claimedAt',
] as const;

export const customerListQuery = pageQuery.extend({
  poolState: z.enum(['private', 'public']).optional(),
  ownerId: csv.pipe(z.array(id)).optional(),
  kind: z.enum(customerKinds).optional(),
  source: csv.optional(),
  tag: z.string().trim().min(1).optional(),
  /** `none`: records whose region no team's territory covers (or that have no region). */
  territory: z.enum(['none']).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuery>;

export const contact = z
  .object({
    id,
    customerId: id,
    customerName: z.string(),
    name: z.string(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    phoneE164: z.string().nullable(),
    email: z.string().nullable(),
    wechat: z.string().nullable(),
    birthday: z.iso.date().nullable(),
    preferences: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Contact' });
export type Contact = z.infer<typeof contact>;

const contactFields = {
  title: text(60).nullable().optional(),
  phone: text(40).nullable().optional(),
  email: z.email().nullable().optional(),
  wechat: text(60).nullable().optional(),
  birthday: z.iso.date().nullable().optional(),
  preferences: text(1000).nullable().optional(),
};
export const createContactBody = z.object({
  customerId: id,
  name: text(80).min(1),
  ...contactFields,
});
export type CreateContactBody = z.infer<typeof createContactBody>;
export const updateContactBody = z.object({ name: text(80).min(1).optional(), ...contactFields });
export type UpdateContactBody = z.infer<typeof updateContactBody>;
export const contactSortFields = ['createdAt', 'updatedAt', 'name'] as const;
export const contactListQuery = pageQuery.extend({
  customerId: id.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});
export type ContactListQuery = z.infer<typeof contactListQuery>;

/** Fields of a contact whose value the user may take from the merged-away contact. */
export const mergeableContactFields = [
  'name',
  'title',
  'phone',
  'email',
  'wechat',
  'birthday',
  'preferences',
] as const;

export const mergeContactBody = z.object({
  /** The contact merged into this one (possibly of another customer); it stays as a pointer. */
  otherId: id,
  takeFromOther: z
    .array(z.enum(mergeableContactFields))
    .max(mergeableContactFields.length)
    .default([]),
});
export type MergeContactBody = z.infer<typeof mergeContactBody>;

/** Fields of a customer whose value the user may take from the merged-away record. */
export const mergeableCustomerFields = [
  'name',
  'kind',
  'creditCode',
  'idNumber',
  'phone',
  'industry',
  'size',
  'address',
  'source',
  'lifecycleStage',
  'valueTier',
] as const;

export const mergeCustomerBody = z.object({
  /** The customer merged into this one; it stays as a pointer to the survivor. */
  otherId: id,
  /** Fields to take from the other record; every other field keeps the survivor's value. */
  takeFromOther: z
    .array(z.enum(mergeableCustomerFields))
    .max(mergeableCustomerFields.length)
    .default([]),
});
export type MergeCustomerBody = z.infer<typeof mergeCustomerBody>;
