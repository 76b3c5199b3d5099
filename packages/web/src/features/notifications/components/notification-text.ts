import type { TFunction } from 'i18next';
import { poolRuleKinds, type Notification, type PoolRuleKind } from '@tide/contract';
import { formatDate } from '../../../lib/format.ts';

/*
 * `data` is typed loosely by the contract (each kind carries its own fields, and later
 * modules add kinds): read it defensively so a missing field shows a dash rather than
 * breaking the header of every page.
 */

function field(data: Notification['data'], key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

function text(data: Notification['data'], key: string): string | undefined {
  const value = field(data, key);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function isRuleKind(value: unknown): value is PoolRuleKind {
  return typeof value === 'string' && (poolRuleKinds as readonly string[]).includes(value);
}

/** "30 天未跟进": the rule a record was or will be dropped by, in the reader's language. */
export function ruleText(t: TFunction, rule: unknown): string {
  if (typeof rule !== 'object' || rule === null) return '—';
  const kind = 'kind' in rule ? rule.kind : undefined;
  const days = 'days' in rule && typeof rule.days === 'number' ? rule.days : undefined;
  if (!isRuleKind(kind)) return typeof kind === 'string' ? kind : '—';
  return days === undefined
    ? t(`notifications.ruleKinds.${kind}`)
    : t(`notifications.rules.${kind}`, { days });
}

function entityLabel(t: TFunction, entity: unknown): string {
  if (entity === 'lead') return t('notifications.entities.lead');
  if (entity === 'customer') return t('notifications.entities.customer');
  return typeof entity === 'string' ? entity : '—';
}

/** What the notification says, from its kind and data, in the reader's language. */
export function notificationText(t: TFunction, n: Pick<Notification, 'kind' | 'data'>): string {
  const { data } = n;
  const name = text(data, 'name') ?? t('notifications.unnamed');
  switch (n.kind) {
    case 'drop_warning':
      return t('notifications.text.drop_warning', {
        name,
        date: formatDate(text(data, 'dropAt')),
        rule: ruleText(t, field(data, 'rule')),
      });
    case 'dropped':
      return t('notifications.text.dropped', {
        name,
        rule: ruleText(t, field(data, 'rule')),
        pool: text(data, 'poolName') ?? '—',
      });
    case 'capacity_exceeded':
      return t('notifications.text.capacity_exceeded', {
        userName: text(data, 'userName') ?? '—',
        entity: entityLabel(t, field(data, 'entity')),
        used: text(data, 'used') ?? '—',
        max: text(data, 'max') ?? '—',
      });
    case 'capacity_adjusted': {
      const rate = field(data, 'rate');
      return t('notifications.text.capacity_adjusted', {
        entity: entityLabel(t, field(data, 'entity')),
        month: text(data, 'month') ?? '—',
        rate: typeof rate === 'number' ? `${String(Math.round(rate * 1000) / 10)}%` : '—',
        before: text(data, 'before') ?? '—',
        after: text(data, 'after') ?? '—',
      });
    }
    case 'customer_linked': {
      const opportunity = text(data, 'opportunityName');
      const rep = text(data, 'repName') ?? '—';
      const linked = t('notifications.text.customer_linked', {
        name,
        lead: text(data, 'leadName') ?? '—',
        rep,
      });
      return opportunity
        ? `${linked}${t('notifications.text.customer_linked_opportunity', { opportunity, rep })}`
        : linked;
    }
    default:
      // A kind added on the server after this build: say that something happened.
      return t('notifications.text.unknown', { kind: n.kind });
  }
}

export function notificationTitle(t: TFunction, kind: Notification['kind']): string {
  switch (kind) {
    case 'drop_warning':
    case 'dropped':
    case 'capacity_exceeded':
    case 'capacity_adjusted':
    case 'customer_linked':
      return t(`notifications.kinds.${kind}`);
    default:
      return t('notifications.kinds.unknown');
  }
}

/** The record a notification is about, when the web has a page for it. */
export function notificationLink(n: Pick<Notification, 'entity' | 'entityId'>): string | undefined {
  if (n.entityId === null) return undefined;
  if (n.entity === 'lead') return `/leads/${encodeURIComponent(n.entityId)}`;
  if (n.entity === 'customer') return `/customers/${encodeURIComponent(n.entityId)}`;
  return undefined;
}
