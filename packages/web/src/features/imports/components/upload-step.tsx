import { Flex, Form, Radio, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { importTypes, type ImportJob, type ImportType } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useUploadImport } from '../api/imports.ts';

interface UploadStepProps {
  type: ImportType;
  onTypeChange: (type: ImportType) => void;
  onUploaded: (job: ImportJob) => void;
}

/** Step 1: what the file holds, and the file itself, sent as it is once dropped. */
export function UploadStep({ type, onTypeChange, onUploaded }: UploadStepProps) {
  const { t } = useTranslation();
  const upload = useUploadImport();

  return (
    <Flex vertical gap={16}>
      <Form layout="vertical">
        <Form.Item label={t('imports.type')}>
          <Radio.Group
            value={type}
            optionType="button"
            buttonStyle="solid"
            data-testid="import-type"
            disabled={upload.isPending}
            options={importTypes.map((value) => ({
              value,
              label: (
                <span data-testid={`import-type-${value}`}>{t(`imports.types.${value}`)}</span>
              ),
            }))}
            onChange={(e) => {
              onTypeChange(e.target.value as ImportType);
            }}
          />
        </Form.Item>
      </Form>
      <div data-testid="import-upload">
        <Upload.Dragger
          accept=".csv,.xlsx"
          multiple={false}
          showUploadList={false}
          disabled={upload.isPending}
          beforeUpload={(file) => {
            upload.mutate({ type, file }, { onSuccess: onUploaded });
            // The file goes up as the raw body through the API client, not antd's request.
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {upload.isPending ? t('imports.uploading') : t('imports.dropHint')}
          </p>
          <p className="ant-upload-hint">{t('imports.formatHint')}</p>
        </Upload.Dragger>
      </div>
      <Typography.Text type="secondary">{t(`imports.columnsHint.${type}`)}</Typography.Text>
      {upload.isError ? <ErrorAlert error={upload.error} testId="import-upload-error" /> : null}
    </Flex>
  );
}
