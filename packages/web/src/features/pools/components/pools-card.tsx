import { useState } from 'react';
import {
  Button,
  Card,
  Empty,
  Flex,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Pool } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { usePools } from '../../../lib/reference-data.ts';
import { useDeletePool } from '../api/pools.ts';
import { PoolFormDrawer } from './pool-form-drawer.tsx';

type Editing = { kind: 'create' } | { kind: 'edit'; pool: Pool };

function RuleTags({ pool }: { pool: Pool }) {
  const { t } = useTranslation();
  if (pool.rules.length === 0)
    return <Typography.Text type="secondary">{t('pools.list.noRules')}</Typography.Text>;
  return (
    <Flex gap={4} wrap>
      {pool.rules.map((r) => (
        <Tag
          key={r.id}
          color={r.enabled ? 'blue' : 'default'}
          data-testid={`pool-rule-tag-${r.entity}-${r.kind}`}
          style={r.enabled ? undefined : { textDecoration: 'line-through' }}
        >
          {t('pools.rule.summary', {
            entity: t(`pools.entities.${r.entity}`),
            kind: t(`pools.ruleKinds.${r.kind}`),
            count: r.days,
          })}
        </Tag>
      ))}
    </Flex>
  );
}

/** The tenant's public seas, each with the team it serves and its drop rules. */
export function PoolsCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const pools = usePools();
  const remove = useDeletePool();
  const [editing, setEditing] = useState<Editing | null>(null);

  const deleteButton = (pool: Pool) => {
    const button = (
      <Button
        size="small"
        type="link"
        danger
        icon={<DeleteOutlined />}
        disabled={pool.isDefault}
        data-testid={`pool-delete-${pool.id}`}
      >
        {t('common.delete')}
      </Button>
    );
    if (pool.isDefault) return <Tooltip title={t('pools.list.defaultHint')}>{button}</Tooltip>;
    return (
      <Popconfirm
        title={t('pools.list.deleteConfirm', { name: pool.name })}
        description={t('pools.list.deleteHint')}
        okText={t('common.delete')}
        okButtonProps={{ danger: true, 'data-testid': 'pool-delete-confirm' }}
        cancelText={t('common.cancel')}
        onConfirm={() => {
          remove.mutate(pool.id, {
            onSuccess: () => {
              notify.success(t('pools.list.deleted'));
            },
            onError: notify.error,
          });
        }}
      >
        {button}
      </Popconfirm>
    );
  };

  return (
    <Card
      title={t('pools.list.title')}
      data-testid="pools"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="pool-create"
          onClick={() => {
            setEditing({ kind: 'create' });
          }}
        >
          {t('pools.list.create')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('pools.list.intro')}</Typography.Paragraph>
      {pools.isError ? (
        <ErrorAlert error={pools.error} onRetry={() => void pools.refetch()} />
      ) : (
        <Table<Pool>
          rowKey="id"
          size="small"
          loading={pools.isPending}
          dataSource={pools.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.list.empty')} />
            ),
          }}
          columns={[
            {
              title: t('pools.list.name'),
              key: 'name',
              render: (_v, p) => (
                <Space size={4}>
                  <Typography.Text strong>{p.name}</Typography.Text>
                  {p.isDefault ? <Tag>{t('pools.list.default')}</Tag> : null}
                </Space>
              ),
            },
            { title: t('pools.list.node'), key: 'node', render: (_v, p) => p.nodeName },
            {
              title: t('pools.list.protectDays'),
              key: 'protectDays',
              render: (_v, p) =>
                p.protectDays === 0
                  ? t('pools.list.noProtection')
                  : t('pools.list.days', { count: p.protectDays }),
            },
            {
              title: t('pools.list.exemption'),
              key: 'exemption',
              render: (_v, p) =>
                p.exemptWonDays === null
                  ? t('pools.list.noExemption')
                  : t('pools.list.exemptWithin', { count: p.exemptWonDays }),
            },
            {
              title: t('pools.list.verification'),
              key: 'verification',
              render: (_v, p) =>
                p.requireVerification ? (
                  <Tag color="orange">{t('pools.list.verificationOn')}</Tag>
                ) : (
                  <Typography.Text type="secondary">
                    {t('pools.list.verificationOff')}
                  </Typography.Text>
                ),
            },
            {
              title: t('pools.list.rules'),
              key: 'rules',
              render: (_v, p) => <RuleTags pool={p} />,
            },
            {
              title: t('pools.list.counts'),
              key: 'counts',
              render: (_v, p) => (
                <span data-testid={`pool-counts-${p.id}`}>
                  {t('pools.list.countsValue', {
                    lead: p.counts.lead.toLocaleString(),
                    customer: p.counts.customer.toLocaleString(),
                  })}
                </span>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_v, p) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    data-testid={`pool-edit-${p.id}`}
                    onClick={() => {
                      setEditing({ kind: 'edit', pool: p });
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  {deleteButton(p)}
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing ? (
        <PoolFormDrawer
          {...(editing.kind === 'edit' ? { pool: editing.pool } : {})}
          onClose={() => {
            setEditing(null);
          }}
        />
      ) : null}
    </Card>
  );
}
