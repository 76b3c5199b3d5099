import { useState } from 'react';
import { App, Button, Card, Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import {
  leadFilterQuery,
  usePurgeLead,
  useRecycleBinLeads,
  useRestoreDeletedLead,
  type LeadListParams,
} from '../api/leads.ts';
import { LeadSearch } from './lead-filters.tsx';
import { leadName } from './lead-status.tsx';
import { LeadTable } from './lead-table.tsx';

/** Deleted leads (回收站): an admin restores them or purges them for good. */
export function RecycleBinPanel() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const notify = useNotify();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>('-updatedAt');
  const [q, setQ] = useState('');
  const restore = useRestoreDeletedLead();
  const purge = usePurgeLead();
  const params: LeadListParams = {
    page,
    pageSize,
    ...(sort ? { sort } : {}),
    ...(q ? { q } : {}),
  };
  const leads = useRecycleBinLeads(params);

  const confirmRestore = (lead: Lead) => {
    modal.confirm({
      title: t('recycleBin.restoreConfirm', { name: leadName(lead) ?? t('leads.unnamed') }),
      okText: t('recycleBin.restore'),
      cancelText: t('common.cancel'),
      onOk: () =>
        restore.mutateAsync(lead.id).then(() => {
          notify.success(t('recycleBin.restored'));
        }, notify.error),
    });
  };

  const confirmPurge = (lead: Lead) => {
    modal.confirm({
      title: t('recycleBin.purgeConfirm', { name: leadName(lead) ?? t('leads.unnamed') }),
      content: t('recycleBin.purgeHint'),
      okText: t('recycleBin.purge'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () =>
        purge.mutateAsync(lead.id).then(() => {
          notify.success(t('recycleBin.purged'));
        }, notify.error),
    });
  };

  return (
    <Card>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t('recycleBin.intro')}</Typography.Text>
        <Space wrap>
          <LeadSearch
            onSearch={(value) => {
              setQ(value);
              setPage(1);
            }}
          />
          <ExportButton
            path="/recycle-bin/leads/export"
            query={leadFilterQuery(params)}
            testId="recycle-bin-export"
          />
        </Space>
      </Flex>
      {leads.isError ? (
        <ErrorAlert error={leads.error} onRetry={() => void leads.refetch()} />
      ) : (
        <LeadTable
          testId="recycle-bin-table"
          leads={leads.data?.items ?? []}
          columns={['company', 'contactName', 'phone', 'status', 'owner', 'deletedAt', 'updatedAt']}
          linkToDetail={false}
          total={leads.data?.total ?? 0}
          page={page}
          pageSize={pageSize}
          {...(sort ? { sort } : {})}
          loading={leads.isFetching}
          emptyText={t('recycleBin.empty')}
          renderActions={(lead) => (
            <Space size={4}>
              <Button
                size="small"
                data-testid={`bin-restore-${lead.id}`}
                onClick={() => {
                  confirmRestore(lead);
                }}
              >
                {t('recycleBin.restore')}
              </Button>
              <Button
                size="small"
                danger
                data-testid={`bin-purge-${lead.id}`}
                onClick={() => {
                  confirmPurge(lead);
                }}
              >
                {t('recycleBin.purge')}
              </Button>
            </Space>
          )}
          onChange={(next) => {
            setPage(next.page);
            setPageSize(next.pageSize);
            setSort(next.sort);
          }}
        />
      )}
    </Card>
  );
}
