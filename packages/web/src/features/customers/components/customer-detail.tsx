import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Row, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import type { Customer } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { FollowUpForm } from '../../../components/follow-up-form.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReasonDialog } from '../../../components/reason-dialog.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import { isMergedFromState, mergedIntoOf, type MergedFromState } from '../../../lib/merged.ts';
import {
  useAddCustomerFollowUp,
  useClaimCustomer,
  useCustomer,
  useDeleteCustomer,
  useReturnCustomer,
} from '../api/customers.ts';
import { ContactsCard } from './contacts-card.tsx';
import { CustomerFormDialog } from './customer-form-dialog.tsx';
import { CustomerTagList, KindTag, PoolStateTag, mayWork } from './customer-tags.tsx';
import { CustomerTimeline } from './customer-timeline.tsx';

interface CustomerDetailProps {
  id: string;
  /**
   * The customer's opportunities, drawn by the opportunities feature: the page composes
   * both rather than one feature importing the other.
   */
  renderOpportunities?: (customer: Customer, mayWork: boolean) => ReactNode;
}

type Dialog = 'edit' | 'return' | null;

function CustomerActions({ customer, works }: { customer: Customer; works: boolean }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const notify = useNotify();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog>(null);
  const claim = useClaimCustomer();
  const giveBack = useReturnCustomer();
  const remove = useDeleteCustomer();
  const canClaim = useCan('customer.claim');
  const canUpdate = useCan('customer.update');
  const canDelete = useCan('customer.delete');
  const canTransfer = useCan('customer.transfer');
  const canMerge = useCan('customer.merge');
  const isPublic = customer.poolState === 'public';

  return (
    <>
      <Space wrap>
        {canClaim && isPublic ? (
          <Button
            type="primary"
            loading={claim.isPending}
            data-testid="customer-claim"
            onClick={() => {
              claim.mutate(customer.id, {
                onSuccess: () => {
                  notify.success(t('customers.claimed'));
                },
                onError: notify.error,
              });
            }}
          >
            {t('customers.claim')}
          </Button>
        ) : null}
        {canUpdate && (works || (isPublic && canTransfer)) ? (
          <Button
            data-testid="customer-edit"
            onClick={() => {
              setDialog('edit');
            }}
          >
            {t('common.edit')}
          </Button>
        ) : null}
        {canUpdate && works ? (
          <Button
            data-testid="customer-return"
            onClick={() => {
              setDialog('return');
            }}
          >
            {t('customers.return')}
          </Button>
        ) : null}
        {canMerge ? (
          <Button
            data-testid="customer-merge"
            onClick={() => {
              void navigate(`/customers/${encodeURIComponent(customer.id)}/merge`);
            }}
          >
            {t('customers.merge.action')}
          </Button>
        ) : null}
        {canDelete ? (
          <Button
            danger
            data-testid="customer-delete"
            onClick={() => {
              modal.confirm({
                title: t('customers.deleteConfirm', { name: customer.name }),
                content: t('customers.deleteHint'),
                okText: t('common.delete'),
                okButtonProps: { danger: true },
                cancelText: t('common.cancel'),
                onOk: () =>
                  remove.mutateAsync(customer.id).then(() => {
                    notify.success(t('customers.deleted'));
                    void navigate('/customers', { replace: true });
                  }, notify.error),
              });
            }}
          >
            {t('common.delete')}
          </Button>
        ) : null}
      </Space>
      {dialog === 'edit' ? (
        <CustomerFormDialog
          customer={customer}
          canAssign={false}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog === 'return' ? (
        <ReasonDialog
          title={t('customers.returnTitle')}
          hint={t('customers.returnHint')}
          pending={giveBack.isPending}
          onSubmit={(reason) =>
            giveBack.mutateAsync({ id: customer.id, reason }).then(() => {
              notify.success(t('customers.returned'));
            })
          }
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </>
  );
}

/** 客户全视图: the customer, its people, its opportunities and everything that happened. */
export function CustomerDetail({ id, renderOpportunities }: CustomerDetailProps) {
  const { t } = useTranslation();
  const customer = useCustomer(id);
  const addFollowUp = useAddCustomerFollowUp();
  const canFollowUp = useCan('followup.create');
  const canTransfer = useCan('customer.transfer');
  const canViewContacts = useCan('contact.view');
  const canManageContacts = useCan('contact.manage');
  const me = useMe();
  const location = useLocation();
  const state: unknown = location.state;

  if (customer.isPending) return <Loading />;
  const survivorId = customer.isError ? mergedIntoOf(customer.error) : undefined;
  // A customer merged into another opens as the survivor (old links, bookmarks).
  if (survivorId !== undefined)
    return (
      <Navigate
        to={`/customers/${encodeURIComponent(survivorId)}`}
        replace
        state={{ mergedFrom: id } satisfies MergedFromState}
      />
    );
  if (customer.isError)
    return (
      <>
        <PageHeader title={t('customers.detailTitle')} />
        <ErrorAlert
          error={customer.error}
          onRetry={() => void customer.refetch()}
          testId="customer-error"
        />
        <Link to="/customers">{t('customers.backToList')}</Link>
      </>
    );

  const data = customer.data;
  const works = mayWork(data, me.id, canTransfer);
  const dash = '—';
  const identity =
    data.kind === 'company'
      ? [{ label: t('customers.fields.creditCode'), value: data.creditCode }]
      : [{ label: t('customers.fields.phone'), value: data.phone }];

  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={12} wrap>
            <span data-testid="customer-title">{data.name}</span>
            <KindTag kind={data.kind} />
            <PoolStateTag state={data.poolState} />
          </Flex>
        }
        extra={<CustomerActions customer={data} works={works} />}
      />
      {isMergedFromState(state) && state.mergedFrom !== data.id ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="customer-merged-notice"
          title={t('customers.mergedNotice')}
        />
      ) : null}
      <Card data-testid="customer-details">
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          {identity.map((key) => (
            <Descriptions.Item key={key.label} label={key.label}>
              {key.value ?? dash}
            </Descriptions.Item>
          ))}
          {data.kind === 'company' ? (
            <Descriptions.Item label={t('customers.fields.phone')}>
              {data.phone ?? dash}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('customers.fields.owner')}>
            <span data-testid="customer-owner">{data.ownerName ?? t('customers.noOwner')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.industry')}>
            {data.industry ?? dash}
          </Descriptions.Item>
          {data.kind === 'company' ? (
            <Descriptions.Item label={t('customers.fields.size')}>
              {data.size ?? dash}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('customers.fields.address')}>
            {data.address ?? dash}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.source')}>
            {data.source ?? dash}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.tags')}>
            <CustomerTagList tags={data.tags} />
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.claimedAt')}>
            {formatDateTime(data.claimedAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.lastFollowUpAt')}>
            {formatDateTime(data.lastFollowUpAt)}
          </Descriptions.Item>
          <Descriptions.Item label={t('customers.fields.createdAt')}>
            {formatDateTime(data.createdAt)}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={16}>
          <Card>
            <Tabs
              data-testid="customer-sections"
              items={[
                {
                  key: 'timeline',
                  label: t('customers.sections.timeline'),
                  children: <CustomerTimeline customerId={data.id} />,
                },
                ...(canViewContacts
                  ? [
                      {
                        key: 'contacts',
                        label: t('customers.sections.contacts'),
                        children: (
                          <ContactsCard
                            customerId={data.id}
                            canManage={canManageContacts && works}
                          />
                        ),
                      },
                    ]
                  : []),
                ...(renderOpportunities
                  ? [
                      {
                        key: 'opportunities',
                        label: t('customers.sections.opportunities'),
                        children: renderOpportunities(data, works),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          {canFollowUp && works ? (
            <FollowUpForm
              pending={addFollowUp.isPending}
              onSubmit={(body) => addFollowUp.mutateAsync({ id: data.id, body })}
            />
          ) : null}
        </Col>
      </Row>
    </>
  );
}
