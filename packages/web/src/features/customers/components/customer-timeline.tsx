import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  customerKinds,
  type CustomerKind,
  type Opportunity,
  type TimelineItem,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import {
  AuditEntry,
  FollowUpEntry,
  RecordTimeline,
  type TimelineEntry,
} from '../../../components/record-timeline.tsx';
import { formatDate, formatDateTime, formatValue } from '../../../lib/format.ts';
import { formatAmount } from '../../../lib/money.ts';
import { useCustomerOpportunityEvents, useCustomerTimeline } from '../api/customers.ts';

const shownFields = [
  'name',
  'kind',
  'creditCode',
  'phone',
  'industry',
  'size',
  'address',
  'tags',
  'source',
  'poolState',
  'reason',
] as const;
type ShownField = (typeof shownFields)[number];

function isCustomerKind(value: unknown): value is CustomerKind {
  return typeof value === 'string' && (customerKinds as readonly string[]).includes(value);
}

function isShownField(field: string): field is ShownField {
  return (shownFields as readonly string[]).includes(field);
}

const statusColors: Record<Opportunity['status'], string> = {
  open: 'processing',
  won: 'success',
  lost: 'error',
};

function OpportunityEvent({ opportunity, closed }: { opportunity: Opportunity; closed: boolean }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={2} data-testid="timeline-opportunity">
      <span>
        <Typography.Text strong>{opportunity.ownerName ?? t('timeline.system')}</Typography.Text>{' '}
        {closed
          ? t(`customers.timelineOpportunity.${opportunity.status === 'won' ? 'won' : 'lost'}`)
          : t('customers.timelineOpportunity.created')}{' '}
        <Link to={`/opportunities/${opportunity.id}`}>{opportunity.name}</Link>
      </span>
      <span>
        <Tag color={statusColors[opportunity.status]}>{opportunity.stageName}</Tag>
        {opportunity.amount === null ? null : (
          <Typography.Text>{formatAmount(opportunity.amount)}</Typography.Text>
        )}
        {opportunity.expectedCloseDate ? (
          <Typography.Text type="secondary">
            {' · '}
            {t('customers.timelineOpportunity.expected', {
              date: formatDate(opportunity.expectedCloseDate),
            })}
          </Typography.Text>
        ) : null}
      </span>
      {closed && opportunity.lostReason ? (
        <Typography.Text type="secondary">
          {t('customers.timelineOpportunity.lostReason', { reason: opportunity.lostReason })}
        </Typography.Text>
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(closed ? opportunity.closedAt : opportunity.createdAt)}
      </Typography.Text>
    </Space>
  );
}

/**
 * One timeline for the customer 360 view: the customer's follow-ups and audited changes,
 * plus the key events of its opportunities (opened, won, lost) with their current stage.
 */
export function CustomerTimeline({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const timeline = useCustomerTimeline(customerId);
  const opportunities = useCustomerOpportunityEvents(customerId);

  if (timeline.isError)
    return <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />;
  if (timeline.isPending) return <Loading height={120} />;

  const fieldLabel = (field: string) =>
    isShownField(field) ? t(`customers.fields.${field}`) : undefined;
  const formatField = (field: string, value: unknown): string => {
    if (field === 'kind' && isCustomerKind(value)) return t(`customers.kinds.${value}`);
    if (field === 'poolState' && (value === 'private' || value === 'public'))
      return t(`customers.poolStates.${value}`);
    if (Array.isArray(value)) return value.map((v) => formatValue(v)).join('、');
    return formatValue(value);
  };
  const entries: TimelineEntry[] = timeline.data.map((item: TimelineItem, index) => ({
    key: `t-${item.at}-${String(index)}`,
    at: item.at,
    color: item.kind === 'followUp' ? 'blue' : 'gray',
    content:
      item.kind === 'followUp' ? (
        <FollowUpEntry item={item} />
      ) : (
        <AuditEntry item={item} fieldLabel={fieldLabel} formatField={formatField} />
      ),
  }));
  // A failed opportunity list leaves the customer's own history readable.
  for (const opportunity of opportunities.data ?? []) {
    entries.push({
      key: `o-${opportunity.id}`,
      at: opportunity.createdAt,
      color: 'purple',
      content: <OpportunityEvent opportunity={opportunity} closed={false} />,
    });
    if (opportunity.status !== 'open' && opportunity.closedAt) {
      entries.push({
        key: `o-${opportunity.id}-closed`,
        at: opportunity.closedAt,
        color: opportunity.status === 'won' ? 'green' : 'red',
        content: <OpportunityEvent opportunity={opportunity} closed />,
      });
    }
  }
  return <RecordTimeline entries={entries} testId="customer-timeline" />;
}
