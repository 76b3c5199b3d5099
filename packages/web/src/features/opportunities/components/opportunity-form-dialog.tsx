import { DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Opportunity } from '@tide/contract';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import {
  useCreateOpportunity,
  useOpportunityStages,
  useUpdateOpportunity,
} from '../api/opportunities.ts';

interface OpportunityFormValues {
  name: string;
  amount?: number | null;
  expectedCloseDate?: Dayjs | null;
  stage?: string;
}

const fieldNames = ['name', 'amount', 'expectedCloseDate', 'stage'] as const;

type OpportunityFormDialogProps =
  | { customerId: string; opportunity?: undefined; onClose: () => void }
  | { customerId?: undefined; opportunity: Opportunity; onClose: () => void };

/** Adds an opportunity to a customer, or edits one's name, amount and expected close date. */
export function OpportunityFormDialog({
  customerId,
  opportunity,
  onClose,
}: OpportunityFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<OpportunityFormValues>();
  const stages = useOpportunityStages();
  const create = useCreateOpportunity();
  const update = useUpdateOpportunity();
  const onError = useFormErrorHandler(form, fieldNames);
  const openStages = (stages.data ?? []).filter((s) => s.outcome === 'open');

  const submit = (values: OpportunityFormValues) => {
    const fields = {
      name: values.name.trim(),
      amount: values.amount ?? null,
      expectedCloseDate: values.expectedCloseDate
        ? values.expectedCloseDate.format('YYYY-MM-DD')
        : null,
    };
    const done = {
      onSuccess: () => {
        notify.success(t('opportunities.saved'));
        onClose();
      },
      onError,
    };
    if (opportunity) update.mutate({ id: opportunity.id, body: fields }, done);
    else if (customerId)
      create.mutate(
        { customerId, ...fields, ...(values.stage ? { stage: values.stage } : {}) },
        done,
      );
  };

  return (
    <Modal
      open
      title={opportunity ? t('opportunities.edit') : t('opportunities.create')}
      okText={opportunity ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'opportunity-form-submit' }}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<OpportunityFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: opportunity?.name,
          amount: opportunity?.amount ?? null,
          expectedCloseDate: opportunity?.expectedCloseDate
            ? dayjs(opportunity.expectedCloseDate)
            : null,
        }}
      >
        <Form.Item
          name="name"
          label={t('opportunities.fields.name')}
          rules={[rules.requiredTrimmed, rules.maxLength(200)]}
        >
          <Input data-testid="opportunity-form-name" autoFocus />
        </Form.Item>
        <Form.Item name="amount" label={t('opportunities.fields.amount')}>
          <InputNumber<number>
            min={0}
            max={1e12}
            precision={2}
            prefix="¥"
            style={{ width: '100%' }}
            data-testid="opportunity-form-amount"
          />
        </Form.Item>
        <Form.Item name="expectedCloseDate" label={t('opportunities.fields.expectedCloseDate')}>
          <DatePicker style={{ width: '100%' }} data-testid="opportunity-form-date" />
        </Form.Item>
        {opportunity ? null : (
          <Form.Item name="stage" label={t('opportunities.fields.stage')}>
            <Select
              data-testid="opportunity-form-stage"
              loading={stages.isPending}
              placeholder={openStages[0]?.name}
              options={openStages.map((s) => ({
                value: s.key,
                label: `${s.name} (${String(s.probability)}%)`,
              }))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
