import { useState } from 'react';
import { Button, Card, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AssignmentRule } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { DeleteAction } from '../../../components/delete-action.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { usePools } from '../../../lib/reference-data.ts';
import { useAssignmentRules, useDeleteAssignmentRule } from '../api/assignment-rules.ts';
import { AssignmentRuleDialog } from './assignment-rule-dialog.tsx';
import { RegionTags, RepName, TeamName } from './names.tsx';

type Editing = { kind: 'create' } | { kind: 'edit'; rule: AssignmentRule };

function Conditions({ rule }: { rule: AssignmentRule }) {
  const { t } = useTranslation();
  const none =
    rule.sources.length === 0 && rule.regionCodes.length === 0 && rule.industries.length === 0;
  if (none)
    return <Typography.Text type="secondary">{t('assignment.rules.anyLead')}</Typography.Text>;
  return (
    <Flex vertical gap={4}>
      {rule.sources.length > 0 ? (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary">{t('assignment.rules.sources')}:</Typography.Text>
          {rule.sources.map((s) => (
            <Tag key={s} color="blue">
              {s}
            </Tag>
          ))}
        </Flex>
      ) : null}
      {rule.regionCodes.length > 0 ? (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary">{t('assignment.rules.regions')}:</Typography.Text>
          <RegionTags codes={rule.regionCodes} />
        </Flex>
      ) : null}
      {rule.industries.length > 0 ? (
        <Flex gap={4} wrap align="center">
          <Typography.Text type="secondary">{t('assignment.rules.industries')}:</Typography.Text>
          {rule.industries.map((s) => (
            <Tag key={s}>{s}</Tag>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}

function Target({ rule }: { rule: AssignmentRule }) {
  const { t } = useTranslation();
  if (rule.nodeId !== null)
    return (
      <span>
        {t('assignment.target.teamOf')} <TeamName id={rule.nodeId} />
      </span>
    );
  return (
    <Flex gap={4} wrap>
      {rule.userIds.map((id) => (
        <Tag key={id}>
          <RepName id={id} />
        </Tag>
      ))}
    </Flex>
  );
}

/**
 * 分配规则: new leads entering a pool are shared out by the first enabled rule (lowest
 * priority number) whose conditions they meet; a lead no rule takes stays in the pool.
 */
export function AssignmentRulesCard() {
  const { t } = useTranslation();
  const notify = useNotify();
  const rules = useAssignmentRules();
  const pools = usePools();
  const remove = useDeleteAssignmentRule();
  const [editing, setEditing] = useState<Editing | null>(null);
  const poolName = (id: string) => pools.data?.find((p) => p.id === id)?.name ?? '…';

  return (
    <Card
      title={t('assignment.rules.title')}
      data-testid="assignment-rules"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="rule-add"
          onClick={() => {
            setEditing({ kind: 'create' });
          }}
        >
          {t('assignment.rules.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('assignment.rules.intro')}</Typography.Paragraph>
      {rules.isError ? (
        <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Table<AssignmentRule>
          rowKey="id"
          size="small"
          loading={rules.isPending}
          dataSource={rules.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('assignment.rules.empty')}
              />
            ),
          }}
          columns={[
            {
              title: t('assignment.rules.pool'),
              key: 'pool',
              render: (_v, r) => poolName(r.poolId),
            },
            { title: t('assignment.rules.priority'), key: 'priority', dataIndex: 'priority' },
            {
              title: t('assignment.rules.name'),
              key: 'name',
              render: (_v, r) => (
                <Space size={4}>
                  <Typography.Text strong delete={!r.enabled}>
                    {r.name}
                  </Typography.Text>
                  {r.enabled ? null : <Tag>{t('assignment.rules.disabled')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('assignment.rules.conditions'),
              key: 'conditions',
              render: (_v, r) => <Conditions rule={r} />,
            },
            {
              title: t('assignment.strategy'),
              key: 'strategy',
              render: (_v, r) => t(`assignment.strategies.${r.strategy}.name`),
            },
            {
              title: t('assignment.target.label'),
              key: 'target',
              render: (_v, r) => <Target rule={r} />,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_v, r) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    data-testid={`rule-edit-${r.id}`}
                    onClick={() => {
                      setEditing({ kind: 'edit', rule: r });
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <DeleteAction
                    confirm={t('assignment.rules.deleteConfirm', { name: r.name })}
                    confirmTestId="rule-delete-confirm"
                    testId={`rule-delete-${r.id}`}
                    onConfirm={() => {
                      remove.mutate(r.id, {
                        onSuccess: () => {
                          notify.success(t('assignment.rules.deleted'));
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
        <AssignmentRuleDialog
          {...(editing.kind === 'edit' ? { rule: editing.rule } : {})}
          onClose={() => {
            setEditing(null);
          }}
        />
      ) : null}
    </Card>
  );
}
