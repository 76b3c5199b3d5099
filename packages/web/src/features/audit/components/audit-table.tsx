import { Empty, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AuditAction, AuditEntry } from '@tide/contract';
import { formatDateTime, formatValue } from '../../../lib/format.ts';

const actionColors: Partial<Record<AuditAction, string>> = {
  create: 'green',
  update: 'blue',
  delete: 'red',
  purge: 'red',
  restore: 'cyan',
  deactivate: 'orange',
  login_failed: 'volcano',
  move: 'geekblue',
  transfer: 'purple',
};

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

function Value({ value, removed }: { value: unknown; removed?: boolean }) {
  const text = formatValue(value);
  return (
    <Typography.Text
      delete={removed === true && !isEmpty(value)}
      type={removed ? 'secondary' : undefined}
      ellipsis={{ tooltip: text }}
      style={{ maxWidth: 240 }}
    >
      {text}
    </Typography.Text>
  );
}

/** Field-level before → after; a created record shows only the after side, a deleted one only the before. */
function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const fields = Object.entries(entry.changes);
  if (fields.length === 0)
    return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2}>
      {fields.map(([field, change]) => (
        <span key={field}>
          <Typography.Text code>{field}</Typography.Text>{' '}
          {isEmpty(change.before) ? null : (
            <>
              <Value value={change.before} removed />{' '}
              {isEmpty(change.after) ? null : <ArrowRightOutlined style={{ fontSize: 11 }} />}{' '}
            </>
          )}
          {isEmpty(change.after) && !isEmpty(change.before) ? null : <Value value={change.after} />}
        </span>
      ))}
    </Space>
  );
}

interface AuditTableProps {
  entries: AuditEntry[];
  total: number;
  page: number;
  pageSize: number;
  loading: boolean;
  onPageChange: (page: number, pageSize: number) => void;
  onFilterEntity: (entity: string, entityId: string) => void;
}

export function AuditTable({
  entries,
  total,
  page,
  pageSize,
  loading,
  onPageChange,
  onFilterEntity,
}: AuditTableProps) {
  const { t } = useTranslation();
  const entities: Record<string, string> = t('audit.entities', { returnObjects: true });

  const columns: TableProps<AuditEntry>['columns'] = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      key: 'at',
      width: 160,
      render: (_v, e) => formatDateTime(e.at),
    },
    {
      title: t('audit.actor'),
      key: 'actor',
      width: 140,
      render: (_v, e) =>
        e.actorName ?? <Typography.Text type="secondary">{t('audit.system')}</Typography.Text>,
    },
    {
      title: t('audit.action'),
      key: 'action',
      width: 120,
      render: (_v, e) => <Tag color={actionColors[e.action]}>{t(`audit.actions.${e.action}`)}</Tag>,
    },
    {
      title: t('audit.entity'),
      key: 'entity',
      render: (_v, e) => (
        <Space orientation="vertical" size={0}>
          <span>{entities[e.entity] ?? e.entity}</span>
          <Typography.Link
            type="secondary"
            style={{ fontSize: 12 }}
            onClick={() => {
              onFilterEntity(e.entity, e.entityId);
            }}
          >
            {e.entityId}
          </Typography.Link>
        </Space>
      ),
    },
    { title: t('audit.changes'), key: 'changes', render: (_v, e) => <Changes entry={e} /> },
  ];

  return (
    <Table<AuditEntry>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={entries}
      loading={loading}
      scroll={{ x: 'max-content' }}
      data-testid="audit-table"
      locale={{
        emptyText: loading ? (
          ' '
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('audit.empty')} />
        ),
      }}
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: onPageChange,
      }}
    />
  );
}
