import { useState, type ReactNode } from 'react';
import { SwapOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Radio, Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mergeableCustomerFields, type Customer } from '@tide/contract';
import { DuplicateMatches } from '../../../components/duplicate-matches.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useDuplicateCheck } from '../../../lib/duplicates.ts';
import { useCustomer, useMergeCustomer } from '../api/customers.ts';
import { CustomerSelect } from './customer-select.tsx';

type MergeableField = (typeof mergeableCustomerFields)[number];
type Side = 'survivor' | 'other';

function customerPath(id: string): string {
  return `/customers/${encodeURIComponent(id)}`;
}

function isEmpty(value: string | null): boolean {
  return value === null || value.trim() === '';
}

/** Keep the survivor's value unless it has none and the other has one. */
function defaultSide(field: MergeableField, survivor: Customer, other: Customer): Side {
  return isEmpty(survivor[field]) && !isEmpty(other[field]) ? 'other' : 'survivor';
}

function differs(field: MergeableField, survivor: Customer, other: Customer): boolean {
  return (survivor[field] ?? '') !== (other[field] ?? '');
}

function fieldValue(t: TFunction, field: MergeableField, customer: Customer): string {
  const dash = '—';
  if (field === 'kind') return t(`customers.kinds.${customer.kind}`);
  if (field === 'valueTier')
    return customer.valueTier ? t(`customers.valueTiers.${customer.valueTier}`) : dash;
  const value = customer[field];
  return isEmpty(value) ? dash : (value ?? dash);
}

interface MergeRow {
  field: MergeableField;
  differs: boolean;
}

interface MergeComparisonProps {
  survivor: Customer;
  other: Customer;
  onSwap: () => void;
  onMerged: (survivor: Customer) => void;
}

/**
 * Both customers side by side, one row per mergeable field; where they differ, a radio
 * on each side chooses the value the survivor keeps.
 */
function MergeComparison({ survivor, other, onSwap, onMerged }: MergeComparisonProps) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const notify = useNotify();
  const merge = useMergeCustomer();
  const [picked, setPicked] = useState<Partial<Record<MergeableField, Side>>>({});

  const rows: MergeRow[] = mergeableCustomerFields.map((field) => ({
    field,
    differs: differs(field, survivor, other),
  }));
  const sideOf = (field: MergeableField): Side =>
    picked[field] ?? defaultSide(field, survivor, other);
  const takeFromOther = rows
    .filter((r) => r.differs && sideOf(r.field) === 'other')
    .map((r) => r.field);
  const differing = rows.filter((r) => r.differs).length;

  const cell = (row: MergeRow, side: Side): ReactNode => {
    const value = fieldValue(t, row.field, side === 'survivor' ? survivor : other);
    if (!row.differs) return <Typography.Text type="secondary">{value}</Typography.Text>;
    return (
      <span data-testid={`merge-choice-${row.field}-${side}`}>
        <Radio
          checked={sideOf(row.field) === side}
          onChange={() => {
            setPicked((prev) => ({ ...prev, [row.field]: side }));
          }}
        >
          {value}
        </Radio>
      </span>
    );
  };

  const confirm = () => {
    modal.confirm({
      title: t('customers.merge.confirmTitle', { other: other.name, survivor: survivor.name }),
      content: t('customers.merge.confirmContent', {
        other: other.name,
        survivor: survivor.name,
      }),
      okText: t('customers.merge.submit'),
      okButtonProps: { danger: true, 'data-testid': 'merge-confirm' },
      cancelText: t('common.cancel'),
      onOk: () =>
        merge
          .mutateAsync({ id: survivor.id, body: { otherId: other.id, takeFromOther } })
          .then((merged) => {
            notify.success(t('customers.merge.done'));
            onMerged(merged);
          }, notify.error),
    });
  };

  const heading = (customer: Customer, side: Side) => (
    <Flex vertical gap={2}>
      <Typography.Text type="secondary">
        {side === 'survivor' ? t('customers.merge.survivor') : t('customers.merge.other')}
      </Typography.Text>
      <Flex align="center" gap={8} wrap>
        <Link to={customerPath(customer.id)} data-testid={`merge-${side}-name`}>
          {customer.name}
        </Link>
        <Tag>{customer.ownerName ?? t('customers.noOwner')}</Tag>
      </Flex>
    </Flex>
  );

  return (
    <Card data-testid="merge-comparison">
      <Table<MergeRow>
        rowKey="field"
        size="small"
        pagination={false}
        dataSource={rows}
        title={() => (
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text data-testid="merge-differing">
              {differing > 0
                ? t('customers.merge.differing', { count: differing })
                : t('customers.merge.noDifference')}
            </Typography.Text>
            <Button icon={<SwapOutlined />} onClick={onSwap} data-testid="merge-swap">
              {t('customers.merge.swap')}
            </Button>
          </Flex>
        )}
        columns={[
          {
            key: 'field',
            title: t('customers.merge.field'),
            width: 200,
            render: (_, row) => t(`customers.fields.${row.field}`),
          },
          {
            key: 'survivor',
            title: heading(survivor, 'survivor'),
            render: (_, row) => cell(row, 'survivor'),
          },
          {
            key: 'other',
            title: heading(other, 'other'),
            render: (_, row) => cell(row, 'other'),
          },
        ]}
      />
      <Flex justify="flex-end" style={{ marginTop: 16 }}>
        <Button
          type="primary"
          danger
          loading={merge.isPending}
          onClick={confirm}
          data-testid="merge-submit"
        >
          {t('customers.merge.submit')}
        </Button>
      </Flex>
    </Card>
  );
}

/** Customers the survivor may be the same as: the quickest way to the one to merge. */
function MergeSuggestions({
  survivor,
  onChoose,
}: {
  survivor: Customer;
  onChoose: (id: string) => void;
}) {
  const { t } = useTranslation();
  const duplicates = useDuplicateCheck({
    type: 'customer',
    name: survivor.name,
    phone: survivor.phone,
    creditCode: survivor.creditCode,
    address: survivor.address,
  });
  const matches = (duplicates.data ?? []).filter(
    (m) => m.type === 'customer' && m.id !== survivor.id,
  );
  if (duplicates.isError) return <ErrorAlert error={duplicates.error} />;
  if (duplicates.isFetching && matches.length === 0) return <Loading height={48} />;
  return (
    <DuplicateMatches
      matches={matches}
      title={t('customers.merge.suggestions')}
      testId="merge-suggestions"
      renderAction={(m) => (
        <Button
          size="small"
          data-testid={`merge-suggestion-${m.id}`}
          onClick={() => {
            onChoose(m.id);
          }}
        >
          {t('customers.merge.mergeThis')}
        </Button>
      )}
    />
  );
}

interface CustomerMergeProps {
  survivorId: string;
  otherId: string | undefined;
  onChooseOther: (id: string | undefined) => void;
  onSwap: () => void;
  onMerged: (survivor: Customer) => void;
}

/**
 * 客户合并: another customer is merged into the survivor. Nothing of either is lost
 * (follow-ups, contacts, opportunities, history); the user chooses which value each
 * differing field keeps, and which of the two survives.
 */
export function CustomerMerge({
  survivorId,
  otherId,
  onChooseOther,
  onSwap,
  onMerged,
}: CustomerMergeProps) {
  const { t } = useTranslation();
  const survivor = useCustomer(survivorId);
  const other = useCustomer(otherId ?? '', otherId !== undefined);

  const header = (
    <PageHeader
      title={t('customers.merge.title')}
      extra={<Link to={customerPath(survivorId)}>{t('customers.merge.back')}</Link>}
    />
  );
  if (survivor.isPending) return <Loading />;
  if (survivor.isError)
    return (
      <>
        {header}
        <ErrorAlert
          error={survivor.error}
          onRetry={() => void survivor.refetch()}
          testId="merge-error"
        />
      </>
    );

  const otherData = otherId === undefined ? undefined : other.data;
  return (
    <>
      {header}
      <Typography.Paragraph type="secondary">{t('customers.merge.intro')}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="vertical">
          <Form.Item label={t('customers.merge.pickOther')} style={{ marginBottom: 0 }}>
            <CustomerSelect
              testId="merge-other-select"
              value={otherId}
              onChange={onChooseOther}
              placeholder={t('customers.merge.pickPlaceholder')}
              excludeIds={[survivorId]}
              initialOption={otherData ? { value: otherData.id, label: otherData.name } : undefined}
            />
          </Form.Item>
        </Form>
      </Card>
      {otherId === undefined ? (
        <Flex vertical gap={12}>
          <Typography.Text>{t('customers.merge.pickFirst')}</Typography.Text>
          <MergeSuggestions survivor={survivor.data} onChoose={onChooseOther} />
        </Flex>
      ) : other.isPending ? (
        <Loading />
      ) : other.isError ? (
        <ErrorAlert
          error={other.error}
          onRetry={() => void other.refetch()}
          testId="merge-other-error"
        />
      ) : (
        <MergeComparison
          // A new pair starts from the default choices.
          key={`${survivor.data.id}:${other.data.id}`}
          survivor={survivor.data}
          other={other.data}
          onSwap={onSwap}
          onMerged={onMerged}
        />
      )}
    </>
  );
}
