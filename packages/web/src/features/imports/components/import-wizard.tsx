import { useState } from 'react';
import { Card, Flex, Steps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { importTypes, type ImportJob, type ImportType } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useImport, useMayChangeImport } from '../api/imports.ts';
import { ImportHistory } from './import-history.tsx';
import { ImportStatusTag } from './import-status.tsx';
import { MappingStep } from './mapping-step.tsx';
import { PreviewStep } from './preview-step.tsx';
import { RunStep } from './run-step.tsx';
import { UploadStep } from './upload-step.tsx';

function isImportType(value: string | null): value is ImportType {
  return value !== null && (importTypes as readonly string[]).includes(value);
}

/**
 * The import wizard: upload, map columns, preview, run. The import being worked on is
 * in the address (`?id=`), so the user can leave and come back, or open one from the
 * history below; `?type=` preselects what a new file holds.
 */
export function ImportWizard() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = params.get('id') ?? undefined;
  const typeParam = params.get('type');
  const type: ImportType = isImportType(typeParam) ? typeParam : 'leads';
  const job = useImport(id);
  const mayChange = useMayChangeImport(job.data ?? { createdBy: null });
  // Whether an import still being set up shows its preview rather than its mapping.
  const [previewing, setPreviewing] = useState(false);

  const open = (next: ImportJob) => {
    setPreviewing(false);
    setParams({ id: next.id });
  };
  const startNew = (nextType: ImportType) => {
    setPreviewing(false);
    setParams({ type: nextType });
  };

  const current =
    !id || !job.data ? 0 : job.data.status === 'uploaded' ? (previewing || !mayChange ? 2 : 1) : 3;

  const body = () => {
    if (!id) return <UploadStep type={type} onTypeChange={startNew} onUploaded={open} />;
    if (job.isError) return <ErrorAlert error={job.error} onRetry={() => void job.refetch()} />;
    if (!job.data) return <Loading />;
    const data = job.data;
    if (data.status === 'uploaded')
      // Someone else's import is only looked at: its preview, without mapping or start.
      return previewing || !mayChange ? (
        <PreviewStep
          job={data}
          onBack={() => {
            setPreviewing(false);
          }}
          onStarted={() => {
            setPreviewing(false);
          }}
        />
      ) : (
        <MappingStep
          key={data.id}
          job={data}
          onNext={() => {
            setPreviewing(true);
          }}
        />
      );
    return (
      <RunStep
        job={data}
        onNew={() => {
          startNew(data.type);
        }}
      />
    );
  };

  return (
    <Flex vertical gap={16}>
      <Card
        data-testid="import-wizard"
        title={
          job.data && id ? (
            <Flex align="center" gap={8}>
              <Typography.Text strong ellipsis style={{ maxWidth: 420 }}>
                {job.data.fileName}
              </Typography.Text>
              <Typography.Text type="secondary">
                {t(`imports.types.${job.data.type}`)}
              </Typography.Text>
              <ImportStatusTag job={job.data} />
            </Flex>
          ) : (
            t('imports.newImport')
          )
        }
      >
        <Steps
          current={current}
          style={{ marginBottom: 24 }}
          data-testid="import-steps"
          items={[
            { title: t('imports.steps.upload') },
            { title: t('imports.steps.mapping') },
            { title: t('imports.steps.preview') },
            { title: t('imports.steps.run') },
          ]}
        />
        {body()}
      </Card>
      <ImportHistory selectedId={id} onOpen={open} />
    </Flex>
  );
}
