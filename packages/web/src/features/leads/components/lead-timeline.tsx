import { Empty, Space, Tag, Timeline, Typography, type TimelineProps } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  auditActions,
  leadStatuses,
  type AuditAction,
  type LeadStatus,
  type TimelineItem,
} from '@tide/contract';
import { formatDateTime, formatValue } from '../../../lib/format.ts';
import { LeadStatusTag } from './lead-status.tsx';

const shownFields = [
  'status',
  'company',
  'contactName',
  'phone',
  'email',
  'address',
  'source',
  'reason',
  'deleted',
] as const;
type ShownField = (typeof shownFields)[number];

function isShownField(field: string): field is ShownField {
  return (shownFields as readonly string[]).includes(field);
}

function isLeadStatus(value: unknown): value is LeadStatus {
  return typeof value === 'string' && (leadStatuses as readonly string[]).includes(value);
}

function isAuditAction(value: string): value is AuditAction {
  return (auditActions as readonly string[]).includes(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

const actionColors: Partial<Record<AuditAction, string>> = {
  create: 'green',
  claim: 'blue',
  assign: 'blue',
  return: 'orange',
  drop: 'orange',
  delete: 'red',
  purge: 'red',
  restore: 'cyan',
};

function ChangeValue({ field, value }: { field: ShownField; value: unknown }) {
  if (field === 'status' && isLeadStatus(value)) return <LeadStatusTag status={value} />;
  return <Typography.Text>{formatValue(value)}</Typography.Text>;
}

/**
 * Field changes a person can read: ids (owner, pool) are left out, the new owner's
 * name being in the lead itself; `deletedAt` is shown as a flag.
 */
function Changes({ changes }: { changes: NonNullable<TimelineItem['changes']> }) {
  const { t } = useTranslation();
  const rows = Object.entries(changes)
    .map(([field, change]) => ({ field: field === 'deletedAt' ? 'deleted' : field, change }))
    .filter((row): row is { field: ShownField; change: typeof row.change } =>
      isShownField(row.field),
    );
  if (rows.length === 0) return null;
  return (
    <Space orientation="vertical" size={2}>
      {rows.map(({ field, change }) => (
        <span key={field}>
          <Typography.Text type="secondary">{t(`leads.fields.${field}`)}:</Typography.Text>{' '}
          {field === 'deleted' ? null : (
            <>
              {isEmpty(change.before) ? null : (
                <>
                  <ChangeValue field={field} value={change.before} />{' '}
                  <ArrowRightOutlined style={{ fontSize: 11 }} />{' '}
                </>
              )}
              <ChangeValue field={field} value={change.after} />
            </>
          )}
        </span>
      ))}
    </Space>
  );
}

function TimelineEntry({ item }: { item: TimelineItem }) {
  const { t } = useTranslation();
  const who = item.actorName ?? t('leads.system');
  const followUp = item.followUp;
  if (item.kind === 'followUp' && followUp) {
    return (
      <Space orientation="vertical" size={2} data-testid="timeline-follow-up">
        <span>
          <Typography.Text strong>{who}</Typography.Text>{' '}
          {t('leads.timelineActions.followUp', { type: t(`leads.followUpTypes.${followUp.type}`) })}
        </span>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
          {followUp.content}
        </Typography.Paragraph>
        {followUp.result ? (
          <Typography.Text type="secondary">
            {t('leads.resultLabel', { result: followUp.result })}
          </Typography.Text>
        ) : null}
        {followUp.nextAt ? (
          <Typography.Text type="secondary">
            {t('leads.nextAtLabel', { at: formatDateTime(followUp.nextAt) })}
          </Typography.Text>
        ) : null}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(item.at)}
        </Typography.Text>
      </Space>
    );
  }
  const action = isAuditAction(item.action) ? item.action : undefined;
  return (
    <Space orientation="vertical" size={2} data-testid="timeline-audit">
      <span>
        <Typography.Text strong>{who}</Typography.Text>{' '}
        {action ? (
          <Tag color={actionColors[action]}>
            {t(`leads.timelineActions.${action}`, { defaultValue: t(`audit.actions.${action}`) })}
          </Tag>
        ) : (
          <Tag>{item.action}</Tag>
        )}
      </span>
      {item.changes ? <Changes changes={item.changes} /> : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(item.at)}
      </Typography.Text>
    </Space>
  );
}

/** Follow-ups and audited changes of one lead, newest first. */
export function LeadTimeline({ items }: { items: TimelineItem[] }) {
  const { t } = useTranslation();
  if (items.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('leads.timelineEmpty')} />;
  const entries: TimelineProps['items'] = items.map((item, index) => ({
    key: `${item.at}-${String(index)}`,
    color: item.kind === 'followUp' ? 'blue' : 'gray',
    content: <TimelineEntry item={item} />,
  }));
  return <Timeline items={entries} data-testid="lead-timeline" />;
}
