import { Tag, Tooltip, Typography } from 'antd';
import { ClockCircleOutlined, LockOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { PoolRule, RecordPoolState } from '@tide/contract';
import { formatDate, formatDateTime } from '../../../lib/format.ts';

const dash = <Typography.Text type="secondary">—</Typography.Text>;

/** Whole days left before `at`, rounded up: "in 3 days" until the last hour of day 3. */
export function daysUntil(at: string, now = dayjs()): number {
  return Math.ceil(dayjs(at).diff(now, 'day', true));
}

function dropColor(days: number, rule: PoolRule | null): string {
  if (days <= 1) return 'error';
  // Inside the rule's warning window the owner has been (or is about to be) warned.
  if (rule && rule.warnDays > 0 && days <= rule.warnDays) return 'warning';
  if (days <= 3) return 'warning';
  return 'default';
}

/** "3 天后掉入公海" for a private record a rule will drop, with the rule in a tooltip. */
export function DropCountdownTag({ state }: { state: RecordPoolState | undefined }) {
  const { t } = useTranslation();
  if (!state?.dropAt) return dash;
  const days = daysUntil(state.dropAt);
  const rule = state.dropRule
    ? t(`notifications.rules.${state.dropRule.kind}`, { days: state.dropRule.days })
    : t('poolState.unknownRule');
  const label =
    days <= 0
      ? t('poolState.dropsNow')
      : days === 1
        ? t('poolState.dropsInOneDay')
        : t('poolState.dropsInDays', { days });
  return (
    <Tooltip
      title={
        <>
          <div>{t('poolState.ruleTip', { rule })}</div>
          <div>{t('poolState.dropAtTip', { date: formatDateTime(state.dropAt) })}</div>
        </>
      }
    >
      <Tag
        icon={<ClockCircleOutlined />}
        color={dropColor(days, state.dropRule)}
        data-testid="pool-drop-tag"
      >
        {label}
      </Tag>
    </Tooltip>
  );
}

/** "保护期至 2026-12-03" for a public record the caller may not claim back yet. */
export function ProtectedTag({ state }: { state: RecordPoolState | undefined }) {
  const { t } = useTranslation();
  if (!state?.protectedUntil || !dayjs(state.protectedUntil).isAfter(dayjs())) return dash;
  return (
    <Tooltip title={t('poolState.protectedTip', { date: formatDateTime(state.protectedUntil) })}>
      <Tag icon={<LockOutlined />} color="purple" data-testid="pool-protected-tag">
        {t('poolState.protectedUntil', { date: formatDate(state.protectedUntil) })}
      </Tag>
    </Tooltip>
  );
}
