import { useState } from 'react';
import { Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { intakeFormBody, type IntakeForm } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { applyFieldErrors, useErrorText } from '../../../lib/errors.ts';
import { schemaRule, useFormRules } from '../../../lib/form-rules.ts';
import { usePools } from '../../../lib/reference-data.ts';
import { useSaveIntakeForm } from '../api/intake-forms.ts';

interface IntakeFormValues {
  name: string;
  poolId: string;
  source: string;
  perMinute: number | null;
  enabled: boolean;
}

const shape = intakeFormBody.shape;
const DEFAULT_PER_MINUTE = 10;

interface IntakeFormDialogProps {
  /** The form to change; absent to add one (its key is generated when saved). */
  intakeForm?: IntakeForm;
  onClose: () => void;
}

export function IntakeFormDialog({ intakeForm, onClose }: IntakeFormDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const rules = useFormRules();
  const pools = usePools();
  const [form] = Form.useForm<IntakeFormValues>();
  const save = useSaveIntakeForm();
  const [error, setError] = useState<unknown>(null);
  const defaultPool = pools.data?.find((p) => p.isDefault)?.id;

  const initialValues: Partial<IntakeFormValues> = intakeForm
    ? {
        name: intakeForm.name,
        poolId: intakeForm.poolId,
        source: intakeForm.source,
        perMinute: intakeForm.perMinute,
        enabled: intakeForm.enabled,
      }
    : {
        ...(defaultPool ? { poolId: defaultPool } : {}),
        source: t('intakeForms.defaultSource'),
        perMinute: DEFAULT_PER_MINUTE,
        enabled: true,
      };

  const submit = (values: IntakeFormValues) => {
    setError(null);
    save.mutate(
      {
        ...(intakeForm ? { id: intakeForm.id } : {}),
        body: {
          name: values.name.trim(),
          poolId: values.poolId,
          source: values.source.trim(),
          perMinute: values.perMinute ?? DEFAULT_PER_MINUTE,
          enabled: values.enabled,
        },
      },
      {
        onSuccess: () => {
          notify.success(intakeForm ? t('intakeForms.saved') : t('intakeForms.created'));
          onClose();
        },
        onError: (err) => {
          const fields = ['name', 'poolId', 'source', 'perMinute'];
          if (!applyFieldErrors(form, errorText(err), fields)) setError(err);
        },
      },
    );
  };

  return (
    <Modal
      open
      title={intakeForm ? t('intakeForms.edit') : t('intakeForms.add')}
      okText={intakeForm ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'intake-form-save' }}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={520}
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="intake-form-error" />
        </div>
      ) : null}
      {pools.isPending ? null : (
        <Form<IntakeFormValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={initialValues}
          data-testid="intake-form"
        >
          <Form.Item
            name="name"
            label={t('intakeForms.name')}
            rules={[rules.requiredTrimmed, rules.maxLength(60)]}
          >
            <Input data-testid="intake-form-name" />
          </Form.Item>
          <Form.Item
            name="poolId"
            label={t('intakeForms.pool')}
            extra={t('intakeForms.poolHint')}
            rules={[{ required: true, message: t('intakeForms.poolRequired') }]}
          >
            <Select<string>
              data-testid="intake-form-pool"
              options={(pools.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item
            name="source"
            label={t('intakeForms.source')}
            extra={t('intakeForms.sourceHint')}
            rules={[rules.requiredTrimmed, rules.maxLength(60)]}
          >
            <Input data-testid="intake-form-source" />
          </Form.Item>
          <Form.Item
            name="perMinute"
            label={t('intakeForms.perMinute')}
            extra={t('intakeForms.perMinuteHint')}
            rules={[schemaRule(shape.perMinute, t('intakeForms.perMinuteInvalid'))]}
          >
            <InputNumber<number>
              precision={0}
              min={1}
              suffix={t('intakeForms.perMinuteUnit')}
              style={{ width: 200 }}
              data-testid="intake-form-rate"
            />
          </Form.Item>
          <Form.Item name="enabled" label={t('intakeForms.enabled')} valuePropName="checked">
            <Switch data-testid="intake-form-enabled" />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
