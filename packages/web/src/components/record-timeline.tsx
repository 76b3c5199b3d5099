import type { ReactNode } from 'react';
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { auditActions, type AuditAction, type TimelineItem } from '@tide/contract';
import { formatDateTime, formatValue } from '../lib/format.ts';

export interface TimelineEntry {
  key: string;
  at: string;
  color: string;
  content: ReactNode;
}

function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

function isEmpty(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

const actionColors: Partial<Record<AuditAction, string>> = {
  create: 'green',
  claim: 'blue',
  assign: 'blue',
  transfer: 'blue',
  return: 'orange',
  drop: 'orange',
  delete: 'red',
  purge: 'red',
  restore: 'cyan',
};

function When({ at }: { at: string }) {
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {formatDateTime(at)}
    </Typography.Text>
  );
}

/** A logged call, visit or message. */
export function FollowUpEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation();
  const followUp = item.followUp;
  if (!followUp) return null;
  return (
    <Space orientation="vertical" size={2} data-testid="timeline-follow-up">
      <span>
        <Typography.Text strong>{item.actorName ?? t('timeline.system')}</Typography.Text>{' '}
        {t('timeline.followUp', { type: t(`followUps.types.${followUp.type}`) })}
      </span>
      <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
        {followUp.content}
      </Typography.Paragraph>
      {followUp.result ? (
        <Typography.Text type="secondary">
          {t('timeline.result', { result: followUp.result })}
        </Typography.Text>
      ) : null}
      {followUp.nextAt ? (
        <Typography.Text type="secondary">
          {t('timeline.nextAt', { at: formatDateTime(followUp.nextAt) })}
        </Typography.Text>
      ) : null}
      <When at={item.at} />
    </Space>
  );
}

interface AuditEntryProps {
  item: TimelineItem;
  /** A readable label for a changed field, or undefined to leave the field out (ids). */
  fieldLabel: (field: string) => string | undefined;
  /** How the value of a field reads (a stage key → its name); defaults to the raw value. */
  formatField?: (field: string, value: unknown) => ReactNode;
}

/** An audited change: who did what, and the fields a person can read, before → after. */
export function AuditEntry({ item, fieldLabel, formatField }: AuditEntryProps) {
  const { t } = useTranslation();
  const action = isAuditAction(item.action) ? item.action : undefined;
  const show = (field: string, value: unknown): ReactNode =>
    formatField ? formatField(field, value) : formatValue(value);
  const rows = Object.entries(item.changes ?? {}).flatMap(([field, change]) => {
    const label = fieldLabel(field);
    // A field set to nothing on creation says nothing worth a line.
    if (label === undefined || (isEmpty(change.before) && isEmpty(change.after))) return [];
    return [{ field, label, change }];
  });
  return (
    <Space orientation="vertical" size={2} data-testid="timeline-audit">
      <span>
        <Typography.Text strong>{item.actorName ?? t('timeline.system')}</Typography.Text>{' '}
        <Tag color={action ? actionColors[action] : undefined}>
          {action ? t(`audit.actions.${action}`) : item.action}
        </Tag>
      </span>
      {rows.map(({ field, label, change }) => (
        <span key={field}>
          <Typography.Text type="secondary">{label}:</Typography.Text>{' '}
          {isEmpty(change.before) ? null : (
            <>
              {show(field, change.before)} <ArrowRightOutlined style={{ fontSize: 11 }} />{' '}
            </>
          )}
          {show(field, change.after)}
        </span>
      ))}
      <When at={item.at} />
    </Space>
  );
}

interface RecordTimelineProps {
  entries: readonly TimelineEntry[];
  testId?: string;
}

/** Entries from several sources, newest first. */
export function RecordTimeline({ entries, testId }: RecordTimelineProps) {
  const { t } = useTranslation();
  if (entries.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />;
  const sorted = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <Timeline
      data-testid={testId}
      items={sorted.map((entry) => ({
        key: entry.key,
        color: entry.color,
        content: entry.content,
      }))}
    />
  );
}
