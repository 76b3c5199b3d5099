import { useState } from 'react';
import { Button, Flex } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useCan } from '../../../lib/session.ts';
import { useOpportunityList } from '../api/opportunities.ts';
import { OpportunityFormDialog } from './opportunity-form-dialog.tsx';
import { OpportunityTable } from './opportunity-table.tsx';

interface CustomerOpportunitiesProps {
  customerId: string;
  /** Opportunities are added only on a private customer the caller works. */
  canAdd: boolean;
}

/** A customer's opportunities on its 360 page, with an "add" button. */
export function CustomerOpportunities({ customerId, canAdd }: CustomerOpportunitiesProps) {
  const { t } = useTranslation();
  const canManage = useCan('opportunity.manage');
  const [adding, setAdding] = useState(false);
  const list = useOpportunityList({ customerId, page: 1, pageSize: 200, sort: '-updatedAt' });

  return (
    <>
      {canManage && canAdd ? (
        <Flex justify="end" style={{ marginBottom: 12 }}>
          <Button
            icon={<PlusOutlined />}
            data-testid="opportunity-create"
            onClick={() => {
              setAdding(true);
            }}
          >
            {t('opportunities.create')}
          </Button>
        </Flex>
      ) : null}
      {list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <OpportunityTable
          testId="customer-opportunities"
          opportunities={list.data?.items ?? []}
          showCustomer={false}
          loading={list.isFetching}
          emptyText={t('opportunities.empty')}
        />
      )}
      {adding ? (
        <OpportunityFormDialog
          customerId={customerId}
          onClose={() => {
            setAdding(false);
          }}
        />
      ) : null}
    </>
  );
}
