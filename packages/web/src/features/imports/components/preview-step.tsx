import { Alert, Button, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportPreview } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useImportPreview, useMayChangeImport, useRunImport } from '../api/imports.ts';
import { fieldLabel, fieldsOf, problemText } from './import-status.tsx';

type PreviewRow = ImportPreview['rows'][number];

interface PreviewStepProps {
  job: ImportJob;
  onBack: () => void;
  onStarted: () => void;
}

/** Step 3: the first rows as they will be stored; rows that will be rejected stand out. */
export function PreviewStep({ job, onBack, onStarted }: PreviewStepProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const preview = useImportPreview(job.id, true);
  const run = useRunImport();
  const mayChange = useMayChangeImport(job);
  const rows = preview.data?.rows ?? [];
  const withProblems = rows.filter((r) => r.problems.length > 0).length;
  const mapped = fieldsOf(job.type).filter((f) => job.mapping[f]);

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">
        {t('imports.previewHint', { count: rows.length })}
      </Typography.Text>
      {mayChange ? null : (
        <Alert type="info" showIcon data-testid="import-not-yours" title={t('imports.notYours')} />
      )}
      {withProblems > 0 ? (
        <Alert
          type="warning"
          showIcon
          data-testid="import-preview-problems"
          title={t('imports.previewProblems', { count: withProblems })}
        />
      ) : null}
      {preview.isError ? (
        <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />
      ) : (
        <Table<PreviewRow>
          rowKey="row"
          size="small"
          data-testid="import-preview"
          loading={preview.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 'max-content' }}
          rowClassName={(r) => (r.problems.length > 0 ? 'import-row-problem' : '')}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.noRows')} />
            ),
          }}
          columns={[
            { title: t('imports.row'), dataIndex: 'row', key: 'row', width: 64 },
            ...mapped.map((field) => ({
              title: fieldLabel(t, job.type, field),
              key: field,
              render: (_v: unknown, r: PreviewRow) => r.values[field] ?? '—',
            })),
            {
              title: t('imports.problemsColumn'),
              key: 'problems',
              render: (_v: unknown, r: PreviewRow) =>
                r.problems.length === 0 ? (
                  <Tag color="success">{t('imports.rowOk')}</Tag>
                ) : (
                  r.problems.map((p) => (
                    <Tag key={p} color="error" data-testid="import-preview-problem">
                      {problemText(t, p)}
                    </Tag>
                  ))
                ),
            },
          ]}
        />
      )}
      {mayChange ? (
        <Flex justify="space-between">
          <Button data-testid="import-preview-back" onClick={onBack}>
            {t('imports.backToMapping')}
          </Button>
          <Space>
            <Button
              type="primary"
              loading={run.isPending}
              disabled={preview.isPending}
              data-testid="import-start"
              onClick={() => {
                run.mutate(
                  { id: job.id, resume: false },
                  { onSuccess: onStarted, onError: notify.error },
                );
              }}
            >
              {t('imports.start')}
            </Button>
          </Space>
        </Flex>
      ) : null}
    </Flex>
  );
}
