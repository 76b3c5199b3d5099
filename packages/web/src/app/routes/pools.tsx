import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { AssignmentRulesCard } from '../../features/assignment/components/assignment-rules-card.tsx';
import { IntakeFormsCard } from '../../features/assignment/components/intake-forms-card.tsx';
import { PoolsPanel } from '../../features/pools/components/pools-panel.tsx';

export function PoolsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('pools.title')} />
      <PoolsPanel assignmentRules={<AssignmentRulesCard />} intakeForms={<IntakeFormsCard />} />
    </>
  );
}
