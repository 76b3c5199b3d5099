import type { ReactNode } from 'react';
import { Empty, Table, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { leadSortFields, type Lead } from '@tide/contract';
import { formatDateTime } from '../../../lib/format.ts';
import { LeadStatusTag, leadName } from './lead-status.tsx';

export type LeadColumn =
  | 'company'
  | 'contactName'
  | 'phone'
  | 'source'
  | 'status'
  | 'owner'
  | 'claimedAt'
  | 'lastFollowUpAt'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt';

type SortField = (typeof leadSortFields)[number];

function isSortField(value: unknown): value is SortField {
  return typeof value === 'string' && (leadSortFields as readonly string[]).includes(value);
}

/** `-createdAt` → the field and antd's sort order, to show the current sort in the header. */
function parseSort(sort: string | undefined): { field?: string; order?: 'ascend' | 'descend' } {
  if (!sort) return {};
  return sort.startsWith('-')
    ? { field: sort.slice(1), order: 'descend' }
    : { field: sort, order: 'ascend' };
}

/**
 * The column a page adds for the rows on screen, from the pool state: when owned leads
 * drop back to the pool (`drop`), or until when pool leads stay protected (`protect`).
 */
export type LeadPoolStateColumns = (
  rows: readonly Lead[],
  mode: 'drop' | 'protect',
) => TableProps<Lead>['columns'];

interface LeadTableProps {
  leads: Lead[];
  columns: readonly LeadColumn[];
  total: number;
  page: number;
  pageSize: number;
  sort?: string;
  loading: boolean;
  emptyText: string;
  /** Company names link to the detail page; the recycle bin has none to open. */
  linkToDetail?: boolean;
  selectedIds?: readonly string[];
  onSelect?: (ids: string[]) => void;
  renderActions?: (lead: Lead) => ReactNode;
  /** Columns another module adds after the chosen ones (time to drop, protection). */
  extraColumns?: TableProps<Lead>['columns'];
  onChange: (next: { page: number; pageSize: number; sort?: string }) => void;
  testId?: string;
}

export function LeadTable({
  leads,
  columns: shown,
  total,
  page,
  pageSize,
  sort,
  loading,
  emptyText,
  linkToDetail = true,
  selectedIds,
  onSelect,
  renderActions,
  extraColumns,
  onChange,
  testId,
}: LeadTableProps) {
  const { t } = useTranslation();
  const current = parseSort(sort);
  const sortOrder = (field: SortField) => (current.field === field ? current.order : null);
  const dash = <Typography.Text type="secondary">—</Typography.Text>;

  const all: Record<LeadColumn, NonNullable<TableProps<Lead>['columns']>[number]> = {
    company: {
      title: t('leads.fields.company'),
      key: 'company',
      sorter: true,
      sortOrder: sortOrder('company'),
      render: (_v, lead) => {
        const name = leadName(lead) ?? t('leads.unnamed');
        return linkToDetail ? (
          <Link to={`/leads/${lead.id}`} data-testid={`lead-link-${lead.id}`}>
            {name}
          </Link>
        ) : (
          name
        );
      },
    },
    contactName: {
      title: t('leads.fields.contactName'),
      key: 'contactName',
      render: (_v, lead) => lead.contactName ?? dash,
    },
    phone: {
      title: t('leads.fields.phone'),
      key: 'phone',
      render: (_v, lead) => lead.phone ?? dash,
    },
    source: {
      title: t('leads.fields.source'),
      key: 'source',
      responsive: ['lg'],
      render: (_v, lead) => lead.source ?? dash,
    },
    status: {
      title: t('leads.fields.status'),
      key: 'status',
      sorter: true,
      sortOrder: sortOrder('status'),
      render: (_v, lead) => <LeadStatusTag status={lead.status} />,
    },
    owner: {
      title: t('leads.fields.owner'),
      key: 'owner',
      render: (_v, lead) => lead.ownerName ?? dash,
    },
    claimedAt: {
      title: t('leads.fields.claimedAt'),
      key: 'claimedAt',
      sorter: true,
      sortOrder: sortOrder('claimedAt'),
      responsive: ['xl'],
      render: (_v, lead) => formatDateTime(lead.claimedAt),
    },
    lastFollowUpAt: {
      title: t('leads.fields.lastFollowUpAt'),
      key: 'lastFollowUpAt',
      sorter: true,
      sortOrder: sortOrder('lastFollowUpAt'),
      render: (_v, lead) => formatDateTime(lead.lastFollowUpAt),
    },
    createdAt: {
      title: t('leads.fields.createdAt'),
      key: 'createdAt',
      sorter: true,
      sortOrder: sortOrder('createdAt'),
      render: (_v, lead) => formatDateTime(lead.createdAt),
    },
    updatedAt: {
      title: t('leads.fields.updatedAt'),
      key: 'updatedAt',
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      responsive: ['xl'],
      render: (_v, lead) => formatDateTime(lead.updatedAt),
    },
    deletedAt: {
      title: t('leads.fields.deletedAt'),
      key: 'deletedAt',
      render: (_v, lead) => formatDateTime(lead.deletedAt),
    },
  };

  const columns: TableProps<Lead>['columns'] = [
    ...shown.map((c) => all[c]),
    ...(extraColumns ?? []),
    ...(renderActions
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_v: unknown, lead: Lead) => renderActions(lead),
          },
        ]
      : []),
  ];

  return (
    <Table<Lead>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={leads}
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
        const one = Array.isArray(sorter) ? sorter[0] : sorter;
        const field = one?.columnKey;
        const nextSort =
          one?.order && isSortField(field)
            ? `${one.order === 'descend' ? '-' : ''}${field}`
            : undefined;
        const nextPageSize = pagination.pageSize ?? pageSize;
        const sortChanged = nextSort !== sort;
        onChange({
          page: sortChanged || nextPageSize !== pageSize ? 1 : (pagination.current ?? 1),
          pageSize: nextPageSize,
          ...(nextSort ? { sort: nextSort } : {}),
        });
      }}
    />
  );
}
