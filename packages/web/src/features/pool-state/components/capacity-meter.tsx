import { Flex, Progress, Tooltip, Typography } from 'antd';
import type { CapacitySource, CapacityStatus, PoolEntity } from '@tide/contract';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../../lib/errors.ts';
import { useCan } from '../../../lib/session.ts';
import { useMyCapacity } from '../api/pool-state.ts';

function percent(used: number, max: number): number {
  if (max <= 0) return 100;
  return Math.min(100, Math.round((used / max) * 100));
}

interface GaugeProps {
  label: string;
  used: number;
  max: number | null;
  from: CapacitySource | null;
  testId: string;
}

/** One limit: a bar of used / max, or the count alone when there is no limit. */
function Gauge({ label, used, max, from, testId }: GaugeProps) {
  const { t } = useTranslation();
  const full = max !== null && used >= max;
  const value = max === null ? t('capacity.unlimited', { used }) : `${used} / ${max}`;
  return (
    <Tooltip title={from ? t('capacity.from', { scope: t(`capacity.scopes.${from}`) }) : undefined}>
      <Flex align="center" gap={8} data-testid={testId} data-full={full ? 'true' : 'false'}>
        <Typography.Text type="secondary">{label}</Typography.Text>
        {max === null ? null : (
          <Progress
            percent={percent(used, max)}
            showInfo={false}
            size="small"
            status={full ? 'exception' : 'normal'}
            style={{ width: 120, margin: 0 }}
          />
        )}
        <Typography.Text type={full ? 'danger' : undefined} data-testid={`${testId}-value`}>
          {value}
        </Typography.Text>
      </Flex>
    </Tooltip>
  );
}

/**
 * 我的库容: how many records of this type the user holds against their capacity, and
 * how many they claimed today against the daily limit (Asia/Shanghai days).
 */
export function CapacityMeter({ entity }: { entity: PoolEntity }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const allowed = useCan('pool.view');
  const capacity = useMyCapacity(entity, allowed);
  if (!allowed || capacity.isPending) return null;
  if (capacity.isError) {
    return (
      <Typography.Text type="secondary" data-testid={`capacity-${entity}`}>
        {t('capacity.unavailable', { reason: errorText(capacity.error).title })}
      </Typography.Text>
    );
  }
  const status: CapacityStatus = capacity.data;
  return (
    <Flex wrap gap={24} align="center" data-testid={`capacity-${entity}`}>
      <Gauge
        label={t(`capacity.held.${entity}`)}
        used={status.used}
        max={status.max}
        from={status.maxFrom}
        testId="capacity-held"
      />
      <Gauge
        label={t('capacity.claimedToday')}
        used={status.claimedToday}
        max={status.dailyMax}
        from={status.dailyFrom}
        testId="capacity-daily"
      />
    </Flex>
  );
}
