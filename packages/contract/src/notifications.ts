import { z } from 'zod';
import { id, pageQuery, timestamp } from './common.ts';

/**
 * What a notification is about. The web renders each kind from `data` in the reader's
 * language; later modules add kinds.
 *
 * - `drop_warning`: data `{ name, dropAt, rule: { kind, days } }`
 * - `dropped`: data `{ name, rule: { kind, days }, poolName }`
 * - `capacity_exceeded`: data `{ userName, used, max, entity }` (to a manager, after a
 *   departure transfer took a rep over their capacity)
 * - `capacity_adjusted`: data `{ entity, month, rate, before, after }` (to a rep, when the
 *   monthly adjustment changed their capacity)
 * - `customer_linked`: data `{ name, leadName, repName, opportunityName }` (to a customer's
 *   owner, when a colleague converted a lead into their customer, SPEC §2)
 */
export const notificationKinds = [
  'drop_warning',
  'dropped',
  'capacity_exceeded',
  'capacity_adjusted',
  'customer_linked',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notification = z
  .object({
    id,
    kind: z.enum(notificationKinds),
    entity: z.string().nullable(),
    entityId: id.nullable(),
    data: z.record(z.string(), z.unknown()),
    read: z.boolean(),
    createdAt: timestamp,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notification>;

export const notificationQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type NotificationQuery = z.input<typeof notificationQuery>;

export const unreadCount = z.object({ unread: z.number().int() });
export type UnreadCount = z.infer<typeof unreadCount>;
