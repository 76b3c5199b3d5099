import type { ReactNode } from 'react';
import { Flex, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../../../lib/session.ts';
import { CapacityAdjustmentCard } from './capacity-adjustment-card.tsx';
import { CapacityAdjustmentHistoryCard } from './capacity-adjustment-history-card.tsx';
import { CapacityLimitsCard } from './capacity-limits-card.tsx';
import { CollusionReportCard } from './collusion-report-card.tsx';
import { CollusionSettingsCard } from './collusion-settings-card.tsx';
import { PoolsCard } from './pools-card.tsx';

const tabKeys = ['pools', 'capacity', 'adjustment', 'collusion', 'assignment', 'intake'] as const;
type TabKey = (typeof tabKeys)[number];

function tabParam(value: string | null): TabKey {
  return tabKeys.find((k) => k === value) ?? 'pools';
}

interface PoolsPanelProps {
  /** The rules sharing out new leads (the assignment feature's), for their tab. */
  assignmentRules: ReactNode;
  /** The website forms feeding leads in (the assignment feature's), for their tab. */
  intakeForms: ReactNode;
}

/**
 * 公海管理 (SPEC §5): the public seas and their drop rules, the capacity and daily claim
 * limits, the monthly capacity adjustment with its history, the anti-collusion rules
 * with what they found, the rules sharing out new leads and the website forms feeding
 * them in. The tab lives in the URL so a reload or a shared link opens the same one.
 */
export function PoolsPanel({ assignmentRules, intakeForms }: PoolsPanelProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = tabParam(params.get('tab'));
  // The report asks for `report.view`, which a custom role allowed to edit the rules may lack.
  const canReadReport = useCan('report.view');

  return (
    <Tabs
      activeKey={tab}
      onChange={(key) => {
        setParams({ tab: tabParam(key) }, { replace: true });
      }}
      items={[
        {
          key: 'pools',
          label: <span data-testid="pools-tab-pools">{t('pools.tabs.pools')}</span>,
          children: <PoolsCard />,
        },
        {
          key: 'capacity',
          label: <span data-testid="pools-tab-capacity">{t('pools.tabs.capacity')}</span>,
          children: <CapacityLimitsCard />,
        },
        {
          key: 'adjustment',
          label: <span data-testid="pools-tab-adjustment">{t('pools.tabs.adjustment')}</span>,
          children: (
            <Flex vertical gap={16}>
              <CapacityAdjustmentCard />
              <CapacityAdjustmentHistoryCard />
            </Flex>
          ),
        },
        {
          key: 'collusion',
          label: <span data-testid="pools-tab-collusion">{t('pools.tabs.collusion')}</span>,
          children: (
            <Flex vertical gap={16}>
              <CollusionSettingsCard />
              {canReadReport ? <CollusionReportCard /> : null}
            </Flex>
          ),
        },
        {
          key: 'assignment',
          label: <span data-testid="pools-tab-assignment">{t('assignment.rules.tab')}</span>,
          children: assignmentRules,
        },
        {
          key: 'intake',
          label: <span data-testid="pools-tab-intake">{t('intakeForms.tab')}</span>,
          children: intakeForms,
        },
      ]}
    />
  );
}
