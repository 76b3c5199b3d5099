import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Flex,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, ThunderboltOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { poolEntities, type CapacityAdjustment, type PoolEntity } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useCan } from '../../../lib/session.ts';
import {
  useCapacityAdjustments,
  useRunCapacityAdjustment,
  type CapacityAdjustmentRun,
} from '../api/capacity-adjustment.ts';

const MONTH_FORMAT = 'YYYY-MM';
const DEFAULT_PAGE_SIZE = 20;

/** 0.4 → "40%", 1/3 → "33.3%": as the rep's notification says it. */
function formatRate(rate: number): string {
  return `${String(Math.round(rate * 1000) / 10)}%`;
}

/** The month the scheduled run would measure now: the one before the current month. */
function previousMonth(): Dayjs {
  return dayjs().subtract(1, 'month').startOf('month');
}

/**
 * A month still under way (or to come) has no rate to measure yet, and adjusting it
 * would keep the scheduled run from adjusting it once it is over.
 */
function notOverYet(month: Dayjs): boolean {
  return !month.isBefore(dayjs().startOf('month'));
}

function CapacityChange({ before, after }: { before: number; after: number }) {
  const { t } = useTranslation();
  const direction = after > before ? 'up' : after < before ? 'down' : 'same';
  return (
    <span data-testid="capacity-adjustment-change" data-direction={direction}>
      {before.toLocaleString()} →{' '}
      <Typography.Text
        type={direction === 'up' ? 'success' : direction === 'down' ? 'danger' : 'secondary'}
        strong={direction !== 'same'}
      >
        {after.toLocaleString()}{' '}
        {direction === 'up' ? (
          <ArrowUpOutlined aria-label={t('pools.adjustment.up')} />
        ) : direction === 'down' ? (
          <ArrowDownOutlined aria-label={t('pools.adjustment.down')} />
        ) : null}
      </Typography.Text>
    </span>
  );
}

/** Runs the adjustment of one month now, for those who may edit the pool rules. */
function RunControl({ onRan }: { onRan: (result: CapacityAdjustmentRun) => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const run = useRunCapacityAdjustment();
  const [month, setMonth] = useState<Dayjs>(previousMonth);
  const monthText = month.format(MONTH_FORMAT);

  return (
    <Space wrap>
      <DatePicker
        picker="month"
        format={MONTH_FORMAT}
        value={month}
        allowClear={false}
        disabledDate={notOverYet}
        aria-label={t('pools.adjustment.runMonth')}
        data-testid="capacity-adjustment-run-month"
        onChange={(value: Dayjs | null) => {
          if (value) setMonth(value);
        }}
      />
      <Popconfirm
        title={t('pools.adjustment.runConfirm', { month: monthText })}
        description={t('pools.adjustment.runConfirmHint')}
        okText={t('pools.adjustment.run')}
        okButtonProps={{ 'data-testid': 'capacity-adjustment-run-confirm' }}
        cancelText={t('common.cancel')}
        onConfirm={() => {
          run.mutate({ month: monthText }, { onSuccess: onRan, onError: notify.error });
        }}
      >
        <Button
          type="primary"
          icon={<ThunderboltOutlined />}
          loading={run.isPending}
          data-testid="capacity-adjustment-run"
        >
          {t('pools.adjustment.run')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/**
 * What the monthly adjustment did: each rep's rate of the month measured and their
 * capacity before and after, newest month first.
 */
export function CapacityAdjustmentHistoryCard() {
  const { t } = useTranslation();
  const canRun = useCan('pool.rules.edit');
  const [month, setMonth] = useState<Dayjs | null>(null);
  const [entity, setEntity] = useState<PoolEntity | undefined>(undefined);
  const [paging, setPaging] = useState({ page: 1, pageSize: DEFAULT_PAGE_SIZE });
  const [ran, setRan] = useState<CapacityAdjustmentRun | null>(null);
  const history = useCapacityAdjustments({
    ...(month ? { month: month.format(MONTH_FORMAT) } : {}),
    ...(entity ? { entity } : {}),
    ...paging,
  });

  return (
    <Card
      title={t('pools.adjustment.historyTitle')}
      data-testid="capacity-adjustment-history"
      extra={
        canRun ? (
          <RunControl
            onRan={(result) => {
              setRan(result);
              // Show the month just run, whatever the filter showed before.
              setMonth(dayjs(result.month, MONTH_FORMAT));
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          />
        ) : null
      }
    >
      {ran ? (
        <Alert
          style={{ marginBottom: 16 }}
          type={ran.adjusted > 0 ? 'success' : 'info'}
          showIcon
          closable={{
            onClose: () => {
              setRan(null);
            },
          }}
          data-testid="capacity-adjustment-run-result"
          title={
            ran.adjusted > 0
              ? t('pools.adjustment.ran', { month: ran.month, count: ran.adjusted })
              : t('pools.adjustment.ranNone', { month: ran.month })
          }
        />
      ) : null}
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        <DatePicker
          picker="month"
          format={MONTH_FORMAT}
          value={month}
          placeholder={t('pools.adjustment.allMonths')}
          aria-label={t('pools.adjustment.columns.month')}
          data-testid="capacity-adjustment-filter-month"
          onChange={(value: Dayjs | null) => {
            setMonth(value);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
        <Select<PoolEntity | 'all'>
          value={entity ?? 'all'}
          style={{ width: 140 }}
          aria-label={t('pools.adjustment.columns.entity')}
          data-testid="capacity-adjustment-filter-entity"
          options={[
            { value: 'all', label: t('pools.adjustment.allEntities') },
            ...poolEntities.map((e) => ({ value: e, label: t(`pools.entities.${e}`) })),
          ]}
          onChange={(value) => {
            setEntity(value === 'all' ? undefined : value);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
      </Flex>
      {history.isError ? (
        <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />
      ) : (
        <Table<CapacityAdjustment>
          rowKey="id"
          size="small"
          data-testid="capacity-adjustment-table"
          loading={history.isFetching}
          dataSource={history.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: history.isPending ? (
              ' '
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <span data-testid="capacity-adjustment-history-empty">
                    {t('pools.adjustment.historyEmpty')}
                  </span>
                }
              />
            ),
          }}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: history.data?.total ?? 0,
            showSizeChanger: true,
            hideOnSinglePage: false,
            showTotal: (n) => t('common.total', { total: n }),
            onChange: (page, pageSize) => {
              setPaging({ page, pageSize });
            },
          }}
          columns={[
            {
              title: t('pools.adjustment.columns.user'),
              key: 'user',
              render: (_v, a) => a.userName,
            },
            {
              title: t('pools.adjustment.columns.entity'),
              key: 'entity',
              render: (_v, a) => t(`pools.entities.${a.entity}`),
            },
            {
              title: t('pools.adjustment.columns.month'),
              key: 'month',
              render: (_v, a) => a.month,
            },
            {
              title: t('pools.adjustment.columns.handled'),
              key: 'handled',
              align: 'right',
              render: (_v, a) => a.handled.toLocaleString(),
            },
            {
              title: t('pools.adjustment.columns.converted'),
              key: 'converted',
              align: 'right',
              render: (_v, a) => a.converted.toLocaleString(),
            },
            {
              title: t('pools.adjustment.columns.rate'),
              key: 'rate',
              align: 'right',
              render: (_v, a) => (
                <span data-testid="capacity-adjustment-rate">{formatRate(a.rate)}</span>
              ),
            },
            {
              title: t('pools.adjustment.columns.capacity'),
              key: 'capacity',
              render: (_v, a) => <CapacityChange before={a.before} after={a.after} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
