import { z } from 'zod';
import { csv, id, pageQuery, timestamp } from './common.ts';
import { permission, roleName } from './roles.ts';

export const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and . _ @ -');
export const password = z.string().min(8).max(200);

/**
 * Why the server refuses a password, answered as `details.reason` = `password.<reason>`
 * with the field's path, so the UI can say it in the reader's language.
 */
export const weakPasswordReasons = [
  'tooShort',
  'whitespace',
  'username',
  'phone',
  'digitsOnly',
  'common',
  'weak',
] as const;
export type WeakPasswordReason = (typeof weakPasswordReasons)[number];

export const userKinds = ['person', 'service'] as const;
export const userKind = z.enum(userKinds);
export type UserKind = z.infer<typeof userKind>;

export const user = z
  .object({
    id,
    username: z.string(),
    displayName: z.string(),
    nodeId: id,
    nodeName: z.string(),
    roles: z.array(z.string()),
    /** 'service': an integration's account, no password, only API tokens. */
    kind: userKind,
    /** What a service account was given; empty for people (they hold their roles'). */
    permissions: z.array(z.string()),
    active: z.boolean(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof user>;

export const createUserBody = z.object({
  username,
  password,
  displayName: z.string().trim().min(1).max(80),
  nodeId: id,
  roles: z.array(roleName).min(1),
  email: z.email().nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
});
export type CreateUserBody = z.infer<typeof createUserBody>;

/** A service account: admins create it, give it permissions and issue its tokens. */
export const createServiceAccountBody = z.object({
  username,
  displayName: z.string().trim().min(1).max(80),
  nodeId: id,
  permissions: z.array(permission).min(1),
});
export type CreateServiceAccountBody = z.infer<typeof createServiceAccountBody>;

export const updateUserBody = z.object({
  displayName: z.string().trim().min(1).max(80).optional(),
  nodeId: id.optional(),
  roles: z.array(roleName).min(1).optional(),
  /** Service accounts only. */
  permissions: z.array(permission).min(1).optional(),
  email: z.email().nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const resetPasswordBody = z.object({ password });
export type ResetPasswordBody = z.infer<typeof resetPasswordBody>;

export const changeOwnPasswordBody = z.object({
  currentPassword: z.string(),
  newPassword: password,
});
export type ChangeOwnPasswordBody = z.infer<typeof changeOwnPasswordBody>;

/** Where a departing user's records go: a colleague's id or the public pool. */
export const deactivateUserBody = z.object({ transferTo: z.union([id, z.literal('pool')]) });
export type DeactivateUserBody = z.infer<typeof deactivateUserBody>;

export const userListQuery = pageQuery.extend({
  q: z.string().trim().optional(),
  nodeId: id.optional(),
  role: csv.optional(),
  kind: userKind.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type UserListQuery = z.infer<typeof userListQuery>;
export const userSortFields = ['username', 'displayName', 'createdAt', 'updatedAt'] as const;
