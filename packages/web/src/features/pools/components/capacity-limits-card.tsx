import { useState } from 'react';
import { Button, Card, Empty, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { capacityScopes, poolEntities, type CapacityLimit } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { DeleteAction } from '../../../components/delete-action.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useCapacityLimits, useDeleteCapacityLimit } from '../api/capacity-limits.ts';
import { CapacityLimitDialog } from './capacity-limit-dialog.tsx';
import { CapacityTarget } from './capacity-target.tsx';

type Editing = { kind: 'create' } | { kind: 'edit'; limit: CapacityLimit };

const scopeColors = { tenant: 'default', role: 'purple', node: 'blue', user: 'green' } as const;

/** From the broadest to the most specific, which is also the order in which they yield. */
function byScope(a: CapacityLimit, b: CapacityLimit): number {
  return (
    capacityScopes.indexOf(a.scope) - capacityScopes.indexOf(b.scope) ||
    poolEntities.indexOf(a.entity) - poolEntities.indexOf(b.entity) ||
    (a.targetName ?? a.roleName ?? '').localeCompare(b.targetName ?? b.roleName ?? '')
  );
}

/**
 * 私海库容 and daily claim limits. Several may apply to one rep; the most specific one
 * wins: the person's own, then the nearest team's, then the largest of their roles',
 * then the company's.
 */
export function CapacityLimitsCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const limits = useCapacityLimits();
  const remove = useDeleteCapacityLimit();
  const [editing, setEditing] = useState<Editing | null>(null);

  const limitText = (value: number | null) =>
    value === null ? (
      <Typography.Text type="secondary">{t('pools.capacity.unlimited')}</Typography.Text>
    ) : (
      value.toLocaleString()
    );

  return (
    <Card
      title={t('pools.capacity.title')}
      data-testid="capacity-limits"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="capacity-add"
          onClick={() => {
            setEditing({ kind: 'create' });
          }}
        >
          {t('pools.capacity.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('pools.capacity.intro')}</Typography.Paragraph>
      {limits.isError ? (
        <ErrorAlert error={limits.error} onRetry={() => void limits.refetch()} />
      ) : (
        <Table<CapacityLimit>
          rowKey="id"
          size="small"
          loading={limits.isPending}
          dataSource={[...(limits.data ?? [])].sort(byScope)}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.capacity.empty')} />
            ),
          }}
          columns={[
            {
              title: t('pools.capacity.scope'),
              key: 'scope',
              render: (_v, l) => (
                <Tag color={scopeColors[l.scope]}>{t(`pools.capacity.scopes.${l.scope}`)}</Tag>
              ),
            },
            {
              title: t('pools.capacity.target'),
              key: 'target',
              render: (_v, l) => <CapacityTarget limit={l} />,
            },
            {
              title: t('pools.capacity.entity'),
              key: 'entity',
              render: (_v, l) => t(`pools.entities.${l.entity}`),
            },
            {
              title: t('pools.capacity.maxRecords'),
              key: 'maxRecords',
              render: (_v, l) => limitText(l.maxRecords),
            },
            {
              title: t('pools.capacity.dailyClaims'),
              key: 'dailyClaims',
              render: (_v, l) => limitText(l.dailyClaims),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_v, l) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    data-testid={`capacity-edit-${l.id}`}
                    onClick={() => {
                      setEditing({ kind: 'edit', limit: l });
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <DeleteAction
                    confirm={t('pools.capacity.deleteConfirm')}
                    confirmTestId="capacity-delete-confirm"
                    testId={`capacity-delete-${l.id}`}
                    onConfirm={() => {
                      remove.mutate(l.id, {
                        onSuccess: () => {
                          notify.success(t('pools.capacity.deleted'));
                        },
                        onError: notify.error,
                      });
                    }}
                  />
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing ? (
        <CapacityLimitDialog
          {...(editing.kind === 'edit' ? { limit: editing.limit } : {})}
          onClose={() => {
            setEditing(null);
          }}
        />
      ) : null}
    </Card>
  );
}
