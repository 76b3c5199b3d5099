import { z } from 'zod';
import { id, timestamp } from './common.ts';
import { permission } from './roles.ts';
import { user } from './users.ts';

export const loginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
  tenant: z.string().trim().min(1).max(64).optional(),
});
export type LoginBody = z.infer<typeof loginBody>;

export const me = user
  .extend({
    tenantId: id,
    tenantSlug: z.string(),
    tenantName: z.string(),
    permissions: z.array(permission),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof me>;

export const loginResponse = z.object({ token: z.string(), csrfToken: z.string(), user: me });
export type LoginResponse = z.infer<typeof loginResponse>;

export const apiToken = z
  .object({
    id,
    name: z.string(),
    prefix: z.string(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiToken>;

export const createApiTokenBody = z.object({
  name: z.string().trim().min(1).max(80),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateApiTokenBody = z.infer<typeof createApiTokenBody>;

/** The secret is in this answer only; the server keeps its hash. */
export const createdApiToken = apiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiToken>;
