import { useState } from 'react';
import {
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import {
  importDuplicateHandling,
  importNotePrefix,
  importNoteTypes,
  type ImportDuplicateHandling,
  type ImportJob,
  type ImportMapping,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import {
  useCreateImportTemplate,
  useDeleteImportTemplate,
  useImportTemplates,
  useUpdateImport,
} from '../api/imports.ts';
import { fieldLabel, fieldsOf } from './import-status.tsx';

interface MappingStepProps {
  job: ImportJob;
  onNext: () => void;
}

const isNote = (key: string) => key.startsWith(importNotePrefix);

/**
 * Every field of the type, with the column it comes from (null: not imported), and the
 * columns written into the follow-up note.
 */
function fullMapping(job: ImportJob): ImportMapping {
  return {
    ...Object.fromEntries(fieldsOf(job.type).map((f) => [f, job.mapping[f] ?? null])),
    ...Object.fromEntries(Object.entries(job.mapping).filter(([k, h]) => isNote(k) && h)),
  };
}

/**
 * Step 2: which column fills which field (prefilled with the server's suggestion or a
 * saved template) and what happens to rows matching records already stored.
 */
export function MappingStep({ job, onNext }: MappingStepProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [mapping, setMapping] = useState<ImportMapping>(() => fullMapping(job));
  const [onDuplicate, setOnDuplicate] = useState<ImportDuplicateHandling>(job.onDuplicate);
  const [templateId, setTemplateId] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [templateName, setTemplateName] = useState('');
  const update = useUpdateImport(job.id);
  const templates = useImportTemplates();
  const createTemplate = useCreateImportTemplate();
  const deleteTemplate = useDeleteImportTemplate();
  const ofType = (templates.data ?? []).filter((tpl) => tpl.type === job.type);
  const nothingMapped = fieldsOf(job.type).every((f) => !mapping[f]);
  const noteColumns = Object.entries(mapping).flatMap(([k, h]) => (isNote(k) && h ? [h] : []));

  const headerOptions = job.headers.filter((h) => h !== '').map((h) => ({ value: h, label: h }));

  const applyTemplate = () => {
    if (!templateId) return;
    update.mutate(
      { templateId },
      {
        onSuccess: (next) => {
          setMapping(fullMapping(next));
          notify.success(t('imports.templateApplied'));
        },
      },
    );
  };

  const saveTemplate = () => {
    const name = templateName.trim();
    if (!name) return;
    createTemplate.mutate(
      { type: job.type, name, mapping },
      {
        onSuccess: (template) => {
          setSaving(false);
          setTemplateName('');
          setTemplateId(template.id);
          notify.success(t('imports.templateSaved', { name: template.name }));
        },
        onError: notify.error,
      },
    );
  };

  return (
    <Flex vertical gap={16}>
      <Typography.Text type="secondary">
        {t('imports.mappingHint', { file: job.fileName, columns: job.headers.length })}
      </Typography.Text>
      <Card size="small" title={t('imports.templates')}>
        <Space wrap>
          <Select
            style={{ minWidth: 220 }}
            placeholder={t('imports.chooseTemplate')}
            value={templateId}
            loading={templates.isPending}
            data-testid="import-template-select"
            notFoundContent={t('imports.noTemplates')}
            options={ofType.map((tpl) => ({ value: tpl.id, label: tpl.name }))}
            onChange={setTemplateId}
          />
          <Button
            disabled={!templateId}
            loading={update.isPending && update.variables.templateId !== undefined}
            data-testid="import-template-apply"
            onClick={applyTemplate}
          >
            {t('imports.applyTemplate')}
          </Button>
          <Popconfirm
            title={t('imports.deleteTemplateConfirm')}
            disabled={!templateId}
            onConfirm={() => {
              if (!templateId) return;
              deleteTemplate.mutate(templateId, {
                onSuccess: () => {
                  setTemplateId(undefined);
                },
                onError: notify.error,
              });
            }}
          >
            <Button
              icon={<DeleteOutlined />}
              disabled={!templateId}
              loading={deleteTemplate.isPending}
              aria-label={t('common.delete')}
            />
          </Popconfirm>
          <Button
            icon={<SaveOutlined />}
            disabled={nothingMapped}
            data-testid="import-template-save"
            onClick={() => {
              setSaving(true);
            }}
          >
            {t('imports.saveTemplate')}
          </Button>
        </Space>
      </Card>
      <Form layout="horizontal" labelCol={{ flex: '140px' }} labelAlign="left">
        {fieldsOf(job.type).map((field) => (
          <Form.Item key={field} label={fieldLabel(t, job.type, field)}>
            <div data-testid={`import-map-${field}`}>
              <Select
                allowClear
                style={{ maxWidth: 360 }}
                placeholder={t('imports.notImported')}
                value={mapping[field] ?? undefined}
                options={headerOptions}
                onChange={(value: string | undefined) => {
                  setMapping((m) => ({ ...m, [field]: value ?? null }));
                }}
              />
            </div>
          </Form.Item>
        ))}
        {importNoteTypes.includes(job.type) ? (
          <Form.Item label={t('imports.noteColumns')} extra={t('imports.noteColumnsHelp')}>
            <div data-testid="import-map-note">
              <Select
                mode="multiple"
                allowClear
                style={{ maxWidth: 360 }}
                placeholder={t('imports.noNoteColumns')}
                value={noteColumns}
                options={headerOptions}
                onChange={(headers: string[]) => {
                  setMapping((m) => ({
                    ...Object.fromEntries(Object.entries(m).filter(([k]) => !isNote(k))),
                    ...Object.fromEntries(headers.map((h) => [importNotePrefix + h, h])),
                  }));
                }}
              />
            </div>
          </Form.Item>
        ) : null}
      </Form>
      <Card size="small" title={t('imports.onDuplicate')}>
        <Radio.Group
          value={onDuplicate}
          data-testid="import-on-duplicate"
          onChange={(e) => {
            setOnDuplicate(e.target.value as ImportDuplicateHandling);
          }}
        >
          <Flex vertical gap={8}>
            {importDuplicateHandling.map((value) => (
              <Radio key={value} value={value} data-testid={`import-on-duplicate-${value}`}>
                <Typography.Text strong>{t(`imports.duplicate.${value}`)}</Typography.Text>
                <br />
                <Typography.Text type="secondary">
                  {t(`imports.duplicateHelp.${value}`)}
                </Typography.Text>
              </Radio>
            ))}
          </Flex>
        </Radio.Group>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          {t('imports.inFileRepeats')}
        </Typography.Paragraph>
      </Card>
      {update.isError ? <ErrorAlert error={update.error} testId="import-mapping-error" /> : null}
      <Flex justify="flex-end">
        <Button
          type="primary"
          disabled={nothingMapped}
          loading={update.isPending && update.variables.mapping !== undefined}
          data-testid="import-mapping-next"
          onClick={() => {
            update.mutate({ mapping, onDuplicate }, { onSuccess: onNext });
          }}
        >
          {t('imports.toPreview')}
        </Button>
      </Flex>
      <Modal
        open={saving}
        title={t('imports.saveTemplate')}
        okText={t('common.save')}
        okButtonProps={{
          disabled: templateName.trim() === '',
          'data-testid': 'import-template-save-ok',
        }}
        confirmLoading={createTemplate.isPending}
        destroyOnHidden
        onOk={saveTemplate}
        onCancel={() => {
          setSaving(false);
        }}
      >
        <Input
          autoFocus
          maxLength={80}
          placeholder={t('imports.templateName')}
          value={templateName}
          data-testid="import-template-name"
          onChange={(e) => {
            setTemplateName(e.target.value);
          }}
          onPressEnter={saveTemplate}
        />
      </Modal>
    </Flex>
  );
}
