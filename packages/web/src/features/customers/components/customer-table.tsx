import type { ReactNode } from 'react';
import { Empty, Table, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { customerSortFields, type Customer } from '@tide/contract';
import { sortOrderOf, toSortParam } from '../../../components/table-sort.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { CustomerTagList, KindTag } from './customer-tags.tsx';

/**
 * The column a page adds for the rows on screen, from the pool state: when private
 * customers drop to the public pool (`drop`), or until when public ones stay protected
 * (`protect`).
 */
export type CustomerPoolStateColumns = (
  rows: readonly Customer[],
  mode: 'drop' | 'protect',
) => TableProps<Customer>['columns'];

interface CustomerTableProps {
  customers: Customer[];
  showOwner: boolean;
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  loading: boolean;
  emptyText: string;
  selectedIds?: readonly string[];
  onSelect?: (ids: string[]) => void;
  renderActions?: (customer: Customer) => ReactNode;
  /** Columns another module adds before the actions (time to drop, protection). */
  extraColumns?: TableProps<Customer>['columns'];
  onChange: (next: { page: number; pageSize: number; sort?: string }) => void;
  testId?: string;
}

export function CustomerTable({
  customers,
  showOwner,
  total,
  page,
  pageSize,
  sort,
  loading,
  emptyText,
  selectedIds,
  onSelect,
  renderActions,
  extraColumns,
  onChange,
  testId,
}: CustomerTableProps) {
  const { t } = useTranslation();
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const columns: TableProps<Customer>['columns'] = [
    {
      title: t('customers.fields.name'),
      key: 'name',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'name'),
      render: (_v, c) => (
        <Link to={`/customers/${c.id}`} data-testid={`customer-link-${c.id}`}>
          {c.name}
        </Link>
      ),
    },
    {
      title: t('customers.fields.kind'),
      key: 'kind',
      render: (_v, c) => <KindTag kind={c.kind} />,
    },
    { title: t('customers.fields.phone'), key: 'phone', render: (_v, c) => c.phone ?? dash },
    {
      title: t('customers.fields.industry'),
      key: 'industry',
      responsive: ['lg'],
      render: (_v, c) => c.industry ?? dash,
    },
    {
      title: t('customers.fields.tags'),
      key: 'tags',
      responsive: ['lg'],
      render: (_v, c) => <CustomerTagList tags={c.tags} />,
    },
    { title: t('customers.fields.source'), key: 'source', render: (_v, c) => c.source ?? dash },
    ...(showOwner
      ? [
          {
            title: t('customers.fields.owner'),
            key: 'owner',
            render: (_v: unknown, c: Customer) => c.ownerName ?? dash,
          },
        ]
      : []),
    {
      title: t('customers.fields.lastFollowUpAt'),
      key: 'lastFollowUpAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'lastFollowUpAt'),
      render: (_v, c) => formatDateTime(c.lastFollowUpAt),
    },
    {
      title: t('customers.fields.createdAt'),
      key: 'createdAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'createdAt'),
      responsive: ['xl'],
      render: (_v, c) => formatDateTime(c.createdAt),
    },
    {
      title: t('customers.fields.updatedAt'),
      key: 'updatedAt',
      sorter: true,
      sortOrder: sortOrderOf(sort, 'updatedAt'),
      render: (_v, c) => formatDateTime(c.updatedAt),
    },
    ...(extraColumns ?? []),
    ...(renderActions
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, c: Customer) => renderActions(c),
          },
        ]
      : []),
  ];

  return (
    <Table<Customer>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={customers}
      loading={loading}
      scroll={{ x: 'max-content' }}
      data-testid={testId}
      rowSelection={
        onSelect
          ? {
              selectedRowKeys: selectedIds ? [...selectedIds] : [],
              preserveSelectedRowKeys: true,
              onChange: (keys) => {
                onSelect(keys.map(String));
              },
            }
          : undefined
      }
      locale={{
        emptyText: loading ? (
          ' '
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
        ),
      }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) => t('common.total', { total: n }),
      }}
      onChange={(pagination, _filters, sorter) => {
        const nextSort = toSortParam(sorter, customerSortFields);
        const nextPageSize = pagination.pageSize ?? pageSize;
        onChange({
          page: nextSort !== sort || nextPageSize !== pageSize ? 1 : (pagination.current ?? 1),
          pageSize: nextPageSize,
          ...(nextSort ? { sort: nextSort } : {}),
        });
      }}
    />
  );
}
