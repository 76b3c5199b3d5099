import { Empty, Table, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { opportunitySortFields, type Opportunity } from '@tide/contract';
import { sortOrderOf, toSortParam } from '../../../components/table-sort.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { formatAmount } from '../../../lib/money.ts';
import { StageTag } from './stage-tag.tsx';

interface OpportunityTableProps {
  opportunities: Opportunity[];
  showCustomer: boolean;
  loading: boolean;
  emptyText: string;
  /** Without paging the table shows every row it is given (a customer's opportunities). */
  paging?: {
    total: number;
    page: number;
    pageSize: number;
    sort?: string;
    onChange: (next: { page: number; pageSize: number; sort?: string }) => void;
  };
  testId?: string;
}

export function OpportunityTable({
  opportunities,
  showCustomer,
  loading,
  emptyText,
  paging,
  testId,
}: OpportunityTableProps) {
  const { t } = useTranslation();
  const sort = paging?.sort;
  const sortable = (field: string) =>
    paging ? { sorter: true, sortOrder: sortOrderOf(sort, field) } : {};
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const columns: TableProps<Opportunity>['columns'] = [
    {
      title: t('opportunities.fields.name'),
      key: 'name',
      ...sortable('name'),
      render: (_v, o) => (
        <Link to={`/opportunities/${o.id}`} data-testid={`opportunity-link-${o.id}`}>
          {o.name}
        </Link>
      ),
    },
    ...(showCustomer
      ? [
          {
            title: t('opportunities.fields.customer'),
            key: 'customer',
            render: (_v: unknown, o: Opportunity) => (
              <Link to={`/customers/${o.customerId}`}>{o.customerName}</Link>
            ),
          },
        ]
      : []),
    {
      title: t('opportunities.fields.stage'),
      key: 'stage',
      render: (_v, o) => <StageTag opportunity={o} />,
    },
    {
      title: t('opportunities.fields.amount'),
      key: 'amount',
      align: 'right',
      ...sortable('amount'),
      render: (_v, o) => (o.amount === null ? dash : formatAmount(o.amount)),
    },
    {
      title: t('opportunities.fields.probability'),
      key: 'probability',
      align: 'right',
      ...sortable('probability'),
      render: (_v, o) => `${String(o.probability)}%`,
    },
    {
      title: t('opportunities.fields.expectedCloseDate'),
      key: 'expectedCloseDate',
      ...sortable('expectedCloseDate'),
      render: (_v, o) => (o.expectedCloseDate ? formatDate(o.expectedCloseDate) : dash),
    },
    {
      title: t('opportunities.fields.owner'),
      key: 'owner',
      render: (_v, o) => o.ownerName ?? dash,
    },
    {
      title: t('opportunities.fields.updatedAt'),
      key: 'updatedAt',
      responsive: ['xl'],
      ...sortable('updatedAt'),
      render: (_v, o) => formatDateTime(o.updatedAt),
    },
  ];

  return (
    <Table<Opportunity>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={opportunities}
      loading={loading}
      scroll={{ x: 'max-content' }}
      data-testid={testId}
      locale={{
        emptyText: loading ? (
          ' '
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
        ),
      }}
      pagination={
        paging
          ? {
              current: paging.page,
              pageSize: paging.pageSize,
              total: paging.total,
              showSizeChanger: true,
              showTotal: (n) => t('common.total', { total: n }),
            }
          : false
      }
      onChange={(pagination, _filters, sorter) => {
        if (!paging) return;
        const nextSort = toSortParam(sorter, opportunitySortFields);
        const nextPageSize = pagination.pageSize ?? paging.pageSize;
        paging.onChange({
          page:
            nextSort !== sort || nextPageSize !== paging.pageSize ? 1 : (pagination.current ?? 1),
          pageSize: nextPageSize,
          ...(nextSort ? { sort: nextSort } : {}),
        });
      }}
    />
  );
}
