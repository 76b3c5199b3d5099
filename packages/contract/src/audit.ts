import { z } from 'zod';
import { id, pageQuery, timestamp } from './common.ts';

export const auditActions = [
  'create',
  'update',
  'delete',
  'restore',
  'purge',
  'move',
  'assign',
  'claim',
  'return',
  'drop',
  'transfer',
  'status',
  'merge',
  'export',
  'login',
  'login_failed',
  'logout',
  'deactivate',
  'reset_password',
  'change_password',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const fieldChange = z.object({ before: z.unknown(), after: z.unknown() });
export const auditEntry = z
  .object({
    id,
    at: timestamp,
    actorId: id.nullable(),
    actorName: z.string().nullable(),
    entity: z.string(),
    entityId: z.string(),
    action: z.enum(auditActions),
    changes: z.record(z.string(), fieldChange),
    requestId: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditQuery = pageQuery.extend({
  entity: z.string().trim().min(1).max(40).optional(),
  entityId: z.string().trim().min(1).max(64).optional(),
  actorId: id.optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
