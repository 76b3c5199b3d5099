import { useState } from 'react';
import { Card, Flex, Input, Segmented, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { opportunityStatuses, type OpportunityStatus } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useCan, useMe } from '../../../lib/session.ts';
import {
  opportunityFilterQuery,
  useOpportunityList,
  useOpportunityStages,
  type OpportunityListParams,
} from '../api/opportunities.ts';
import { OpportunityTable } from './opportunity-table.tsx';

type Scope = 'mine' | 'team';

/** 商机列表: filter by stage and status, sort by amount or expected close date. */
export function OpportunityListPanel() {
  const { t } = useTranslation();
  const me = useMe();
  const canSeeTeam = useCan('customer.transfer');
  const stages = useOpportunityStages();
  const [scope, setScope] = useState<Scope>('mine');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>('-updatedAt');
  const [q, setQ] = useState('');
  const [stageFilter, setStageFilter] = useState<string[]>([]);
  const [statusFilter, setStatusFilter] = useState<OpportunityStatus[]>([]);
  const team = canSeeTeam && scope === 'team';

  const params: OpportunityListParams = {
    page,
    pageSize,
    ...(sort ? { sort } : {}),
    ...(team ? {} : { ownerId: [me.id] }),
    ...(q ? { q } : {}),
    ...(stageFilter.length > 0 ? { stage: stageFilter } : {}),
    ...(statusFilter.length > 0 ? { status: statusFilter } : {}),
  };
  const list = useOpportunityList(params);

  return (
    <>
      <PageHeader
        title={t('opportunities.listTitle')}
        extra={
          <Space>
            {canSeeTeam ? (
              <Segmented<Scope>
                data-testid="opportunities-scope"
                value={scope}
                options={[
                  { value: 'mine', label: t('opportunities.scopeMine') },
                  { value: 'team', label: t('opportunities.scopeTeam') },
                ]}
                onChange={(value) => {
                  setScope(value);
                  setPage(1);
                }}
              />
            ) : null}
            <ExportButton
              path="/opportunities/export"
              query={opportunityFilterQuery(params)}
              testId="opportunities-export"
            />
          </Space>
        }
      />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('opportunities.searchPlaceholder')}
              style={{ width: 260 }}
              data-testid="opportunity-search"
              onSearch={(value) => {
                setQ(value.trim());
                setPage(1);
              }}
            />
            <Select<string[]>
              mode="multiple"
              allowClear
              value={stageFilter}
              placeholder={t('opportunities.fields.stage')}
              style={{ minWidth: 180 }}
              maxTagCount="responsive"
              data-testid="opportunity-stage-filter"
              options={(stages.data ?? []).map((s) => ({ value: s.key, label: s.name }))}
              onChange={(value) => {
                setStageFilter(value);
                setPage(1);
              }}
            />
            <Select<OpportunityStatus[]>
              mode="multiple"
              allowClear
              value={statusFilter}
              placeholder={t('opportunities.fields.status')}
              style={{ minWidth: 160 }}
              data-testid="opportunity-status-filter"
              options={opportunityStatuses.map((s) => ({
                value: s,
                label: t(`opportunities.statuses.${s}`),
              }))}
              onChange={(value) => {
                setStatusFilter(value);
                setPage(1);
              }}
            />
          </Space>
        </Flex>
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <OpportunityTable
            testId="opportunity-table"
            opportunities={list.data?.items ?? []}
            showCustomer
            loading={list.isFetching}
            emptyText={t('opportunities.empty')}
            paging={{
              total: list.data?.total ?? 0,
              page,
              pageSize,
              ...(sort ? { sort } : {}),
              onChange: (next) => {
                setPage(next.page);
                setPageSize(next.pageSize);
                setSort(next.sort);
              },
            }}
          />
        )}
      </Card>
    </>
  );
}
