import { useState } from 'react';
import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Lead, VerificationResult } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useVerificationQueue, useVerifyLead } from '../api/verification.ts';
import { VerifyDialog } from './verify-dialog.tsx';

interface Verifying {
  lead: Lead;
  result: VerificationResult;
}

const buttons: { result: VerificationResult; danger: boolean; primary: boolean }[] = [
  { result: 'verified', danger: false, primary: true },
  { result: 'wrong_number', danger: true, primary: false },
  { result: 'no_intention', danger: false, primary: false },
];

function nameOf(lead: Lead): string | null {
  return lead.company ?? lead.contactName ?? lead.phone;
}

/**
 * 外呼核实: new leads of the pools that require it wait here for a call before anyone may
 * claim them. A verified lead opens for distribution; a wrong number or no intention keeps
 * it out. Oldest first, so nothing waits forever.
 */
export function VerificationQueue() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [verifying, setVerifying] = useState<Verifying | null>(null);
  const queue = useVerificationQueue(page, pageSize);
  const verify = useVerifyLead();
  const dash = <Typography.Text type="secondary">—</Typography.Text>;

  const submit = (lead: Lead, body: { result: VerificationResult; note?: string }) => {
    verify.mutate(
      { id: lead.id, body },
      {
        onSuccess: () => {
          notify.success(t(`verification.done.${body.result}`));
          setVerifying(null);
          // The last lead of a later page is gone: step back rather than show an empty page.
          if (page > 1 && queue.data?.items.length === 1) setPage(page - 1);
        },
        onError: notify.error,
      },
    );
  };

  return (
    <Card>
      <Typography.Paragraph type="secondary">{t('verification.intro')}</Typography.Paragraph>
      {queue.isError ? (
        <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />
      ) : (
        <Table<Lead>
          rowKey="id"
          size="middle"
          data-testid="verification-queue"
          loading={queue.isFetching}
          dataSource={queue.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty
                data-testid="verification-empty"
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t('verification.empty')}
              />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: queue.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
            onChange: (nextPage, nextSize) => {
              setPage(nextSize === pageSize ? nextPage : 1);
              setPageSize(nextSize);
            },
          }}
          columns={[
            {
              title: t('leads.fields.company'),
              key: 'company',
              render: (_v, l) => (
                <Link to={`/leads/${encodeURIComponent(l.id)}`} data-testid={`verify-lead-${l.id}`}>
                  {l.company ?? t('leads.unnamed')}
                </Link>
              ),
            },
            {
              title: t('leads.fields.contactName'),
              key: 'contactName',
              render: (_v, l) => l.contactName ?? dash,
            },
            {
              title: t('leads.fields.phone'),
              key: 'phone',
              render: (_v, l) =>
                l.phone ? (
                  <Typography.Text copyable data-testid={`verify-phone-${l.id}`}>
                    {l.phone}
                  </Typography.Text>
                ) : (
                  dash
                ),
            },
            { title: t('leads.fields.source'), key: 'source', render: (_v, l) => l.source ?? dash },
            {
              title: t('leads.fields.createdAt'),
              key: 'createdAt',
              render: (_v, l) => formatDateTime(l.createdAt),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_v, l) => (
                <Space size={4} wrap>
                  {buttons.map((b) => (
                    <Button
                      key={b.result}
                      size="small"
                      type={b.primary ? 'primary' : 'default'}
                      danger={b.danger}
                      data-testid={`verify-${b.result}-${l.id}`}
                      onClick={() => {
                        setVerifying({ lead: l, result: b.result });
                      }}
                    >
                      {t(`verification.results.${b.result}`)}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
      {verifying ? (
        <VerifyDialog
          name={nameOf(verifying.lead) ?? t('leads.unnamed')}
          result={verifying.result}
          pending={verify.isPending}
          onClose={() => {
            setVerifying(null);
          }}
          onSubmit={(body) => {
            submit(verifying.lead, body);
          }}
        />
      ) : null}
    </Card>
  );
}
