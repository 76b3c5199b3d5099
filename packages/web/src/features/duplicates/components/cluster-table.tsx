import { useState } from 'react';
import { Button, Card, Empty, Flex, Segmented, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  matchLevels,
  type DuplicateCluster,
  type DuplicateClusterMember,
  type MatchLevel,
} from '@tide/contract';
import { MatchLevelTag } from '../../../components/duplicate-matches.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { duplicateReasonLabel, scorePercent } from '../../../lib/duplicates.ts';
import { useCan } from '../../../lib/session.ts';
import { useDuplicateClusters, type DuplicateReportType } from '../api/duplicate-reports.ts';
import { ClusterMergeDialog } from './cluster-merge-dialog.tsx';

function recordPath(type: DuplicateReportType, id: string): string {
  return `/${type === 'customer' ? 'customers' : 'leads'}/${encodeURIComponent(id)}`;
}

function mergePath(type: DuplicateReportType, survivorId: string, otherId: string): string {
  const query = new URLSearchParams({ other: otherId }).toString();
  return `${recordPath(type, survivorId)}/merge?${query}`;
}

/** The members the user may open, oldest first: the oldest is the usual survivor. */
function visibleMembers(cluster: DuplicateCluster): DuplicateClusterMember[] {
  return cluster.members
    .filter((m) => m.visible)
    .sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? ''));
}

function Member({ type, member }: { type: DuplicateReportType; member: DuplicateClusterMember }) {
  const { t } = useTranslation();
  const owner = t('dedupe.owner', { name: member.ownerName ?? t('dedupe.noOwner') });
  const details = [member.phone, member.address].filter((v): v is string => v !== null && v !== '');
  return (
    <Flex vertical gap={0} data-testid={`dup-member-${member.id}`}>
      <Flex gap={8} wrap align="baseline">
        {member.visible ? (
          <Link to={recordPath(type, member.id)} data-testid="dup-member-link">
            {member.name}
          </Link>
        ) : (
          <Typography.Text strong>{member.name}</Typography.Text>
        )}
        <Typography.Text type="secondary">{owner}</Typography.Text>
        {member.visible ? null : (
          <Typography.Text type="secondary">{t('dedupe.notVisible')}</Typography.Text>
        )}
      </Flex>
      {details.length > 0 ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {details.join(' · ')}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

type LevelFilter = MatchLevel | 'all';

interface ClusterTableProps {
  reportId: string;
  type: DuplicateReportType;
}

/** The clusters a finished report found, strongest first, with a way to merge two. */
export function ClusterTable({ reportId, type }: ClusterTableProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canMerge = useCan(type === 'customer' ? 'customer.merge' : 'lead.merge');
  const [level, setLevel] = useState<LevelFilter>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [picking, setPicking] = useState<DuplicateClusterMember[] | null>(null);
  const clusters = useDuplicateClusters(reportId, {
    page,
    pageSize,
    level: level === 'all' ? undefined : level,
  });

  const startMerge = (cluster: DuplicateCluster) => {
    const members = visibleMembers(cluster);
    const [first, second] = members;
    if (members.length === 2 && first && second)
      void navigate(mergePath(type, first.id, second.id));
    else setPicking(members);
  };

  return (
    <Card
      title={t('duplicateReport.clusters')}
      data-testid="dup-clusters"
      extra={
        <Segmented<LevelFilter>
          data-testid="dup-clusters-level"
          value={level}
          onChange={(next) => {
            setLevel(next);
            setPage(1);
          }}
          options={(['all', ...matchLevels] as const).map((l) => ({
            value: l,
            label: (
              <span data-testid={`dup-clusters-level-${l}`}>
                {l === 'all' ? t('duplicateReport.allLevels') : t(`dedupe.levels.${l}`)}
              </span>
            ),
          }))}
        />
      }
    >
      {clusters.isError ? (
        <ErrorAlert error={clusters.error} onRetry={() => void clusters.refetch()} />
      ) : (
        <Table<DuplicateCluster>
          rowKey="no"
          size="small"
          loading={clusters.isFetching}
          dataSource={clusters.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  level === 'all'
                    ? t('duplicateReport.noClusters')
                    : t('duplicateReport.noClustersAtLevel')
                }
              />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: clusters.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (n) => t('common.total', { total: n }),
          }}
          onChange={(pagination) => {
            const nextSize = pagination.pageSize ?? pageSize;
            setPage(nextSize === pageSize ? (pagination.current ?? 1) : 1);
            setPageSize(nextSize);
          }}
          columns={[
            { title: '#', key: 'no', width: 56, render: (_v, c) => c.no },
            {
              title: t('duplicateReport.fields.level'),
              key: 'level',
              render: (_v, c) => <MatchLevelTag level={c.level} />,
            },
            {
              title: t('duplicateReport.fields.score'),
              key: 'score',
              render: (_v, c) => `${scorePercent(c.score)}%`,
            },
            {
              title: t('duplicateReport.fields.reasons'),
              key: 'reasons',
              render: (_v, c) => (
                <span data-testid="dup-cluster-reasons">
                  {c.reasons.map((r) => duplicateReasonLabel(t, r)).join(t('dedupe.separator'))}
                </span>
              ),
            },
            {
              title: t('duplicateReport.fields.members'),
              key: 'members',
              render: (_v, c) => (
                <Flex vertical gap={6}>
                  {c.members.map((m) => (
                    <Member key={m.id} type={type} member={m} />
                  ))}
                  {c.size > c.members.length ? (
                    <Typography.Text type="secondary">
                      {t('duplicateReport.moreMembers', { count: c.size - c.members.length })}
                    </Typography.Text>
                  ) : null}
                </Flex>
              ),
            },
            ...(canMerge
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_v: unknown, c: DuplicateCluster) =>
                      visibleMembers(c).length >= 2 ? (
                        <Button
                          size="small"
                          data-testid={`dup-cluster-merge-${c.no}`}
                          onClick={() => {
                            startMerge(c);
                          }}
                        >
                          {t('duplicateReport.merge')}
                        </Button>
                      ) : (
                        <Typography.Text type="secondary">
                          {t('duplicateReport.cannotMerge')}
                        </Typography.Text>
                      ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {picking ? (
        <ClusterMergeDialog
          members={picking}
          onClose={() => {
            setPicking(null);
          }}
          onPick={(survivorId, otherId) => {
            setPicking(null);
            void navigate(mergePath(type, survivorId, otherId));
          }}
        />
      ) : null}
    </Card>
  );
}
