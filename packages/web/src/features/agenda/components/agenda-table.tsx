import { Empty, Table, Tag, Typography, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AgendaItem } from '@tide/contract';
import { formatDateTime } from '../../../lib/format.ts';

function recordPath(item: AgendaItem): string | undefined {
  // Only leads have pages so far; customers and opportunities follow.
  return item.followUp.entityType === 'lead'
    ? `/leads/${encodeURIComponent(item.followUp.entityId)}`
    : undefined;
}

export function AgendaTable({ items, loading }: { items: AgendaItem[]; loading: boolean }) {
  const { t } = useTranslation();
  const columns: TableProps<AgendaItem>['columns'] = [
    {
      title: t('agenda.dueAt'),
      key: 'dueAt',
      width: 200,
      render: (_v, item) => (
        <Typography.Text type={item.overdue ? 'danger' : undefined} strong={item.overdue}>
          {formatDateTime(item.followUp.nextAt)}{' '}
          {item.overdue ? (
            <Tag color="error">{t('agenda.overdue')}</Tag>
          ) : (
            <Tag color="processing">{t('agenda.due')}</Tag>
          )}
        </Typography.Text>
      ),
    },
    {
      title: t('agenda.record'),
      key: 'record',
      render: (_v, item) => {
        const path = recordPath(item);
        const name = item.entityName ?? t('leads.unnamed');
        return path ? (
          <Link to={path} data-testid={`agenda-link-${item.followUp.entityId}`}>
            {name}
          </Link>
        ) : (
          name
        );
      },
    },
    {
      title: t('agenda.type'),
      key: 'type',
      width: 100,
      render: (_v, item) => t(`leads.followUpTypes.${item.followUp.type}`),
    },
    {
      title: t('agenda.content'),
      key: 'content',
      render: (_v, item) => (
        <Typography.Text ellipsis={{ tooltip: item.followUp.content }} style={{ maxWidth: 360 }}>
          {item.followUp.content}
        </Typography.Text>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_v, item) => {
        const path = recordPath(item);
        return path ? <Link to={path}>{t('agenda.open')}</Link> : null;
      },
    },
  ];
  return (
    <Table<AgendaItem>
      rowKey={(item) => item.followUp.id}
      size="middle"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      data-testid="agenda-table"
      rowClassName={(item) => (item.overdue ? 'agenda-overdue' : '')}
      locale={{
        emptyText: loading ? (
          ' '
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agenda.empty')} />
        ),
      }}
    />
  );
}
