import { useState, type ReactNode } from 'react';
import { Button, Card, Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BatchResult } from '@tide/contract';
import { BatchResultDialog } from '../../../components/batch-result-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { ImportLink } from '../../../components/import-link.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useCan } from '../../../lib/session.ts';
import {
  leadFilterQuery,
  useBatchAssignLeads,
  useBatchClaimLeads,
  useLeadList,
  type LeadListParams,
} from '../api/leads.ts';
import { AssignDialog } from './assign-dialog.tsx';
import { LeadSearch, SourceFilter } from './lead-filters.tsx';
import { leadName } from './lead-status.tsx';
import { LeadTable, type LeadPoolStateColumns } from './lead-table.tsx';

interface BatchOutcome {
  result: BatchResult;
  names: ReadonlyMap<string, string>;
}

/** The rows a distribution was opened for, kept while its result is shown. */
interface Distributing {
  ids: string[];
  names: ReadonlyMap<string, string>;
}

/** What the page's distribute dialog is opened with. */
export interface LeadDistribution extends Distributing {
  /** The leads have been shared out (some may have stayed): clear the selection. */
  onDistributed: () => void;
  onClose: () => void;
}

interface LeadPoolPanelProps {
  /** The caller's standing against their capacity, shown above the list to those who claim. */
  capacity?: ReactNode;
  /** The pool-state column (until when each lead stays protected). */
  poolStateColumns?: LeadPoolStateColumns;
  /** The dialog sharing the selected leads out among reps; without it, no 分配 button. */
  renderDistribute?: (distribution: LeadDistribution) => ReactNode;
}

/** The pool (线索池): unassigned leads of the pools serving the caller. */
export function LeadPoolPanel({
  capacity,
  poolStateColumns,
  renderDistribute,
}: LeadPoolPanelProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const canClaim = useCan('lead.claim');
  const canAssign = useCan('lead.assign');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>('-createdAt');
  const [q, setQ] = useState('');
  const [sources, setSources] = useState<string[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  // Names of the selected rows, remembered across pages: the batch answer has only ids.
  const [selectedNames, setSelectedNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [assigning, setAssigning] = useState(false);
  const [distributing, setDistributing] = useState<Distributing | null>(null);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const claim = useBatchClaimLeads();
  const assign = useBatchAssignLeads();

  const params: LeadListParams = {
    page,
    pageSize,
    status: ['unassigned'],
    ...(sort ? { sort } : {}),
    ...(q ? { q } : {}),
    ...(sources.length > 0 ? { source: sources } : {}),
  };
  const leads = useLeadList(params);
  const items = leads.data?.items ?? [];

  const select = (ids: string[]) => {
    setSelected(ids);
    setSelectedNames((previous) => {
      const next = new Map<string, string>();
      for (const id of ids) {
        const lead = items.find((l) => l.id === id);
        const name = lead ? (leadName(lead) ?? t('leads.unnamed')) : previous.get(id);
        if (name !== undefined) next.set(id, name);
      }
      return next;
    });
  };

  const finish = (result: BatchResult) => {
    setOutcome({ result, names: selectedNames });
    select([]);
  };

  return (
    <Card>
      {canClaim && capacity ? <div style={{ marginBottom: 16 }}>{capacity}</div> : null}
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space wrap>
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
        </Space>
        <Space wrap>
          {selected.length > 0 ? (
            <Typography.Text type="secondary">
              {t('leads.selected', { count: selected.length })}
            </Typography.Text>
          ) : null}
          <ImportLink type="leads" testId="pool-import" />
          <ExportButton path="/leads/export" query={leadFilterQuery(params)} testId="pool-export" />
          {canClaim ? (
            <Button
              type="primary"
              disabled={selected.length === 0}
              loading={claim.isPending}
              data-testid="pool-batch-claim"
              onClick={() => {
                const ids = [...selected];
                claim.mutate(ids, { onSuccess: finish, onError: notify.error });
              }}
            >
              {t('leads.batchClaim')}
            </Button>
          ) : null}
          {canAssign ? (
            <Button
              disabled={selected.length === 0}
              data-testid="pool-batch-assign"
              onClick={() => {
                setAssigning(true);
              }}
            >
              {t('leads.batchAssign')}
            </Button>
          ) : null}
          {canAssign && renderDistribute ? (
            <Button
              disabled={selected.length === 0}
              data-testid="pool-distribute"
              onClick={() => {
                setDistributing({ ids: [...selected], names: selectedNames });
              }}
            >
              {t('assignment.distribute.action')}
            </Button>
          ) : null}
        </Space>
      </Flex>
      {leads.isError ? (
        <ErrorAlert error={leads.error} onRetry={() => void leads.refetch()} />
      ) : (
        <LeadTable
          testId="pool-table"
          leads={items}
          columns={['company', 'contactName', 'phone', 'source', 'createdAt', 'updatedAt']}
          total={leads.data?.total ?? 0}
          page={page}
          pageSize={pageSize}
          {...(sort ? { sort } : {})}
          loading={leads.isFetching}
          emptyText={t('leads.poolEmpty')}
          extraColumns={poolStateColumns?.(items, 'protect')}
          {...(canClaim || canAssign ? { selectedIds: selected, onSelect: select } : {})}
          onChange={(next) => {
            setPage(next.page);
            setPageSize(next.pageSize);
            setSort(next.sort);
          }}
        />
      )}
      {assigning ? (
        <AssignDialog
          count={selected.length}
          pending={assign.isPending}
          onClose={() => {
            setAssigning(false);
          }}
          onSubmit={(ownerId) => {
            const ids = [...selected];
            assign.mutate(
              { ids, ownerId },
              {
                onSuccess: (result) => {
                  setAssigning(false);
                  finish(result);
                },
                onError: notify.error,
              },
            );
          }}
        />
      ) : null}
      {distributing
        ? renderDistribute?.({
            ...distributing,
            onDistributed: () => {
              select([]);
            },
            onClose: () => {
              setDistributing(null);
            },
          })
        : null}
      {outcome ? (
        <BatchResultDialog
          result={outcome.result}
          names={outcome.names}
          onClose={() => {
            setOutcome(null);
          }}
        />
      ) : null}
    </Card>
  );
}
