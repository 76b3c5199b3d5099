import { Button, Card, Empty, List, Space, Table, Tag, Typography } from 'antd';
import { ArrowRightOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CollusionPair } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useCollusionReport } from '../api/collusion.ts';

type HandedRecord = CollusionPair['records'][number];

function recordPath(record: HandedRecord): string {
  const base = record.entity === 'lead' ? '/leads' : '/customers';
  return `${base}/${encodeURIComponent(record.id)}`;
}

function pairKey(pair: CollusionPair): string {
  return `${pair.fromUserId}:${pair.toUserId}`;
}

function PairRecords({ pair }: { pair: CollusionPair }) {
  const { t } = useTranslation();
  return (
    <List<HandedRecord>
      size="small"
      dataSource={pair.records}
      data-testid={`collusion-records-${pairKey(pair)}`}
      renderItem={(r) => (
        <List.Item key={`${r.entity}:${r.id}:${r.claimedAt}`}>
          <Space wrap>
            <Tag>{t(`pools.entities.${r.entity}`)}</Tag>
            <Link to={recordPath(r)} data-testid={`collusion-record-${r.id}`}>
              {r.name ?? t('pools.collusion.unnamed')}
            </Link>
            <Typography.Text type="secondary">
              {t('pools.collusion.handedAt', {
                releasedAt: formatDateTime(r.releasedAt),
                claimedAt: formatDateTime(r.claimedAt),
              })}
            </Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * Pairs of reps where one keeps claiming what the other has just dropped or returned,
 * with the records passed over; each record opens on its own page (if the reader may
 * see it).
 */
export function CollusionReportCard() {
  const { t } = useTranslation();
  const report = useCollusionReport();
  return (
    <Card
      title={t('pools.collusion.reportTitle')}
      data-testid="collusion-report"
      extra={
        <Button
          size="small"
          icon={<ReloadOutlined />}
          loading={report.isFetching}
          onClick={() => void report.refetch()}
        >
          {t('pools.collusion.refresh')}
        </Button>
      }
    >
      {report.isError ? (
        <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <Table<CollusionPair>
          rowKey={pairKey}
          size="small"
          loading={report.isPending}
          dataSource={report.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (pair) => <PairRecords pair={pair} />,
            rowExpandable: (pair) => pair.records.length > 0,
          }}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('pools.collusion.reportEmpty')}
              />
            ),
          }}
          columns={[
            {
              title: t('pools.collusion.pair'),
              key: 'pair',
              render: (_v, p) => (
                <Space size={6}>
                  <span>{p.fromUserName}</span>
                  <ArrowRightOutlined />
                  <span>{p.toUserName}</span>
                </Space>
              ),
            },
            {
              title: t('pools.collusion.handovers'),
              key: 'handovers',
              render: (_v, p) => <Tag color="red">{p.handovers}</Tag>,
            },
            {
              title: t('pools.collusion.lastAt'),
              key: 'lastAt',
              render: (_v, p) => formatDateTime(p.lastAt),
            },
            {
              title: t('pools.collusion.records'),
              key: 'records',
              render: (_v, p) => (
                <Space size={4} wrap>
                  {p.records.slice(0, 3).map((r) => (
                    <Link key={`${r.entity}:${r.id}`} to={recordPath(r)}>
                      {r.name ?? t('pools.collusion.unnamed')}
                    </Link>
                  ))}
                  {p.records.length > 3 ? (
                    <Typography.Text type="secondary">
                      {t('pools.collusion.moreRecords', { count: p.records.length - 3 })}
                    </Typography.Text>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
