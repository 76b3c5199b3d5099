import { z } from 'zod';

export const builtinRoleNames = [
  'admin',
  'manager',
  'sales',
  'telesales',
  'marketing',
  'service',
  'analyst',
] as const;
export type BuiltinRoleName = (typeof builtinRoleNames)[number];

/** Function permissions; roles are sets of these. */
export const permissions = [
  'org.view',
  'org.manage',
  'user.view',
  'user.manage',
  'role.manage',
  'audit.view',
  'tenant.settings',
  'token.manage',
  'lead.view',
  'lead.create',
  'lead.update',
  'lead.delete',
  'lead.restore',
  'lead.assign',
  'lead.claim',
  'lead.merge',
  'customer.view',
  'customer.create',
  'customer.update',
  'customer.delete',
  'customer.transfer',
  'customer.merge',
  'customer.claim',
  'contact.view',
  'contact.manage',
  'opportunity.view',
  'opportunity.manage',
  'opportunity.configure',
  'followup.create',
  'pool.view',
  'pool.rules.edit',
  'verification.work',
  'report.view',
  'report.duplicates',
  'marketing.manage',
  'ticket.manage',
  'recycle.manage',
] as const;
export type Permission = (typeof permissions)[number];
export const permission = z.enum(permissions);

const rep: Permission[] = [
  'org.view',
  'user.view',
  'token.manage',
  'audit.view',
  'lead.view',
  'lead.create',
  'lead.update',
  'lead.claim',
  'customer.view',
  'customer.create',
  'customer.update',
  'customer.claim',
  'contact.view',
  'contact.manage',
  'opportunity.view',
  'opportunity.manage',
  'followup.create',
  'pool.view',
];

/** Permissions of the built-in roles (SPEC §1): a rep may add but not delete. */
export const builtinRolePermissions: Record<BuiltinRoleName, readonly Permission[]> = {
  admin: permissions,
  manager: [
    ...rep,
    'customer.merge',
    'lead.merge',
    'report.duplicates',
    'lead.assign',
    'lead.delete',
    'customer.delete',
    'customer.transfer',
    'report.view',
  ],
  sales: rep,
  telesales: [...rep, 'verification.work'],
  marketing: [
    'org.view',
    'user.view',
    'token.manage',
    'customer.view',
    'contact.view',
    'report.view',
    'marketing.manage',
  ],
  service: [
    'org.view',
    'user.view',
    'token.manage',
    'customer.view',
    'contact.view',
    'ticket.manage',
  ],
  analyst: [
    'org.view',
    'user.view',
    'token.manage',
    'customer.view',
    'contact.view',
    'report.view',
  ],
};

export const roleName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_-]*$/, 'lowercase letters, digits, - and _');

export const role = z
  .object({
    name: z.string(),
    label: z.string().nullable(),
    builtin: z.boolean(),
    permissions: z.array(permission),
  })
  .meta({ id: 'Role' });
export type Role = z.infer<typeof role>;

export const createRoleBody = z.object({
  name: roleName,
  label: z.string().trim().max(60).optional(),
  permissions: z.array(permission).min(1),
});
export type CreateRoleBody = z.infer<typeof createRoleBody>;

export const updateRoleBody = z.object({
  label: z.string().trim().max(60).optional(),
  permissions: z.array(permission).min(1).optional(),
});
export type UpdateRoleBody = z.infer<typeof updateRoleBody>;
