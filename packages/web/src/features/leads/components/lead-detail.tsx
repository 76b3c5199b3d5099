import type { ReactNode } from 'react';
import { Alert, Card, Col, Descriptions, Flex, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import type { Lead } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { isMergedFromState, mergedIntoOf, type MergedFromState } from '../../../lib/merged.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import { useConvertedCustomer, useLead, useLeadTimeline } from '../api/leads.ts';
import { FollowUpForm } from './follow-up-form.tsx';
import { LeadActions } from './lead-actions.tsx';
import { LeadStatusTag, isActionAllowed, leadName, mayWork } from './lead-status.tsx';
import { LeadTimeline } from './lead-timeline.tsx';

interface LeadDetailProps {
  id: string;
  /** More tags beside the status in the title: where its verification call stands. */
  renderTags?: (lead: Lead) => ReactNode;
}

export function LeadDetail({ id, renderTags }: LeadDetailProps) {
  const { t } = useTranslation();
  const lead = useLead(id);
  const timeline = useLeadTimeline(id);
  const canFollowUp = useCan('followup.create');
  const canAssign = useCan('lead.assign');
  const me = useMe();
  const location = useLocation();
  const state: unknown = location.state;

  if (lead.isPending) return <Loading />;
  const survivorId = lead.isError ? mergedIntoOf(lead.error) : undefined;
  // A lead merged into another opens as the survivor (old links, bookmarks).
  if (survivorId !== undefined)
    return (
      <Navigate
        to={`/leads/${encodeURIComponent(survivorId)}`}
        replace
        state={{ mergedFrom: id } satisfies MergedFromState}
      />
    );
  if (lead.isError)
    return (
      <>
        <PageHeader title={t('leads.detailTitle')} />
        <ErrorAlert error={lead.error} onRetry={() => void lead.refetch()} testId="lead-error" />
        <Link to="/leads">{t('leads.backToList')}</Link>
      </>
    );

  const data = lead.data;
  const dash = '—';
  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={12} wrap>
            <span data-testid="lead-title">{leadName(data) ?? t('leads.unnamed')}</span>
            <LeadStatusTag status={data.status} />
            {renderTags?.(data)}
          </Flex>
        }
        extra={<LeadActions lead={data} />}
      />
      {isMergedFromState(state) && state.mergedFrom !== data.id ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="lead-merged-notice"
          title={t('leads.mergedNotice')}
        />
      ) : null}
      {data.convertedCustomerId ? (
        <ConvertedCustomerBanner customerId={data.convertedCustomerId} />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card data-testid="lead-details">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('leads.fields.company')}>
                {data.company ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.contactName')}>
                {data.contactName ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.phone')}>
                {data.phone ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.email')}>
                {data.email ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.address')}>
                {data.address ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.source')}>
                {data.source ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.status')}>
                <LeadStatusTag status={data.status} />
              </Descriptions.Item>
              {data.verification && data.verificationNote ? (
                <Descriptions.Item label={t('verification.noteField')}>
                  <span data-testid="lead-verification-note">{data.verificationNote}</span>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('leads.fields.owner')}>
                <span data-testid="lead-owner">{data.ownerName ?? t('leads.noOwner')}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.claimedAt')}>
                {formatDateTime(data.claimedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.lastFollowUpAt')}>
                {formatDateTime(data.lastFollowUpAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.createdAt')}>
                {formatDateTime(data.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('leads.fields.updatedAt')}>
                {formatDateTime(data.updatedAt)}
              </Descriptions.Item>
              {data.invalidReason && data.status === 'invalid' ? (
                <Descriptions.Item label={t('leads.fields.invalidReason')} span={2}>
                  {data.invalidReason}
                </Descriptions.Item>
              ) : null}
              {data.voidReason && data.status === 'voided' ? (
                <Descriptions.Item label={t('leads.fields.voidReason')} span={2}>
                  {data.voidReason}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Card title={t('leads.timeline')} style={{ marginTop: 16 }}>
            {timeline.isError ? (
              <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />
            ) : timeline.isPending ? (
              <Loading height={120} />
            ) : (
              <LeadTimeline items={timeline.data} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {canFollowUp &&
          mayWork(data, me.id, canAssign) &&
          isActionAllowed('followUp', data.status) ? (
            <FollowUpForm leadId={data.id} />
          ) : null}
        </Col>
      </Row>
    </>
  );
}

/**
 * Where a converted lead went. The customer may since have moved to someone the viewer
 * cannot see: then only the link is offered and the customer page says so.
 */
function ConvertedCustomerBanner({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const customer = useConvertedCustomer(customerId);
  // Linked to a colleague's customer: it stays theirs and is not the rep's to open.
  const notYours = isApiError(customer.error) && customer.error.status === 404;
  return (
    <Alert
      type="success"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="lead-converted"
      title={
        customer.data
          ? t('leads.convertedTo', { name: customer.data.name })
          : notYours
            ? t('leads.convertedToColleague')
            : t('leads.convertedToCustomer')
      }
      action={
        notYours ? undefined : (
          <Link
            to={`/customers/${encodeURIComponent(customerId)}`}
            data-testid="lead-converted-customer"
          >
            {t('leads.openConvertedCustomer')}
          </Link>
        )
      }
    />
  );
}
