import { useState } from 'react';
import { Button, Card, Flex, Segmented, Space, Tabs } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { LeadStatus } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useCan, useMe } from '../../../lib/session.ts';
import { leadFilterQuery, useLeadList, type LeadListParams } from '../api/leads.ts';
import { LeadSearch, SourceFilter } from './lead-filters.tsx';
import { LeadFormDialog } from './lead-form-dialog.tsx';
import { LeadTable, type LeadPoolStateColumns } from './lead-table.tsx';

type Scope = 'mine' | 'team';
type StatusTab = 'all' | Exclude<LeadStatus, 'unassigned'>;

const statusTabs: readonly StatusTab[] = [
  'all',
  'pending',
  'following',
  'invalid',
  'converted',
  'voided',
];

/** Owned leads: "all" still leaves out the pool, which has its own page. */
const ownedStatuses: readonly LeadStatus[] = [
  'pending',
  'following',
  'invalid',
  'converted',
  'voided',
];

/** 我的线索: leads the caller owns; managers can widen it to everything their team owns. */
interface MyLeadsPanelProps {
  /** The pool-state column (when each lead drops back to the pool), from the page. */
  poolStateColumns?: LeadPoolStateColumns;
}

export function MyLeadsPanel({ poolStateColumns }: MyLeadsPanelProps) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const canCreate = useCan('lead.create');
  const canAssign = useCan('lead.assign');
  const [scope, setScope] = useState<Scope>('mine');
  const [status, setStatus] = useState<StatusTab>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>('-updatedAt');
  const [q, setQ] = useState('');
  const [sources, setSources] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const team = canAssign && scope === 'team';

  const params: LeadListParams = {
    page,
    pageSize,
    status: status === 'all' ? ownedStatuses : [status],
    ...(team ? {} : { ownerId: [me.id] }),
    ...(sort ? { sort } : {}),
    ...(q ? { q } : {}),
    ...(sources.length > 0 ? { source: sources } : {}),
  };
  const leads = useLeadList(params);
  const items = leads.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={team ? t('leads.teamTitle') : t('leads.myTitle')}
        extra={
          <Space>
            {canAssign ? (
              <Segmented<Scope>
                data-testid="leads-scope"
                value={scope}
                options={[
                  { value: 'mine', label: t('leads.scopeMine') },
                  { value: 'team', label: t('leads.scopeTeam') },
                ]}
                onChange={(value) => {
                  setScope(value);
                  setPage(1);
                }}
              />
            ) : null}
            <ExportButton
              path="/leads/export"
              query={leadFilterQuery(params)}
              testId="leads-export"
            />
            {canCreate ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                data-testid="lead-create"
                onClick={() => {
                  setCreating(true);
                }}
              >
                {t('leads.create')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card>
        <Tabs
          activeKey={status}
          data-testid="lead-status-tabs"
          onChange={(key) => {
            const next = statusTabs.find((s) => s === key);
            if (next) {
              setStatus(next);
              setPage(1);
            }
          }}
          items={statusTabs.map((s) => ({
            key: s,
            label: s === 'all' ? t('common.all') : t(`leads.statuses.${s}`),
          }))}
        />
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <LeadSearch
            onSearch={(value) => {
              setQ(value);
              setPage(1);
            }}
          />
          <SourceFilter
            value={sources}
            leads={items}
            onChange={(value) => {
              setSources(value);
              setPage(1);
            }}
          />
        </Flex>
        {leads.isError ? (
          <ErrorAlert error={leads.error} onRetry={() => void leads.refetch()} />
        ) : (
          <LeadTable
            testId="my-leads-table"
            leads={items}
            columns={[
              'company',
              'contactName',
              'phone',
              'status',
              ...(team ? (['owner'] as const) : []),
              'source',
              'lastFollowUpAt',
              'claimedAt',
              'updatedAt',
            ]}
            total={leads.data?.total ?? 0}
            page={page}
            pageSize={pageSize}
            {...(sort ? { sort } : {})}
            loading={leads.isFetching}
            emptyText={t('leads.empty')}
            extraColumns={poolStateColumns?.(items, 'drop')}
            onChange={(next) => {
              setPage(next.page);
              setPageSize(next.pageSize);
              setSort(next.sort);
            }}
          />
        )}
      </Card>
      {creating ? (
        <LeadFormDialog
          canAssign={canAssign}
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(lead) => {
            void navigate(`/leads/${lead.id}`);
          }}
        />
      ) : null}
    </>
  );
}
