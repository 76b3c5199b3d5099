import { Tag } from 'antd';
import type { Opportunity, OpportunityStatus } from '@tide/contract';

const statusColors: Record<OpportunityStatus, string> = {
  open: 'processing',
  won: 'success',
  lost: 'error',
};

export function StageTag({
  opportunity,
}: {
  opportunity: Pick<Opportunity, 'status' | 'stageName'>;
}) {
  return (
    <Tag color={statusColors[opportunity.status]} data-testid="opportunity-stage">
      {opportunity.stageName}
    </Tag>
  );
}
