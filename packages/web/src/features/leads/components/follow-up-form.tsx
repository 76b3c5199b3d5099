import { Button, Card, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { followUpTypes, type FollowUpType } from '@tide/contract';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useAddLeadFollowUp } from '../api/leads.ts';

interface FollowUpValues {
  type: FollowUpType;
  content: string;
  result?: string;
  nextAt?: Dayjs | null;
}

const fieldNames = ['type', 'content', 'result', 'nextAt'] as const;

/** Logs a call, visit or message; a pending or invalid lead becomes "following". */
export function FollowUpForm({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<FollowUpValues>();
  const add = useAddLeadFollowUp();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: FollowUpValues) => {
    const result = values.result?.trim();
    add.mutate(
      {
        id: leadId,
        body: {
          type: values.type,
          content: values.content.trim(),
          result: result === undefined || result === '' ? null : result,
          nextAt: values.nextAt ? values.nextAt.toISOString() : null,
        },
      },
      {
        onSuccess: () => {
          notify.success(t('leads.followUpAdded'));
          form.resetFields();
        },
        onError,
      },
    );
  };

  return (
    <Card title={t('leads.followUpTitle')} size="small" data-testid="follow-up-form">
      <Form<FollowUpValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ type: 'call' }}
      >
        <Form.Item name="type" label={t('leads.followUpFields.type')} rules={[rules.required]}>
          <Select
            data-testid="follow-up-type"
            options={followUpTypes.map((type) => ({
              value: type,
              label: t(`leads.followUpTypes.${type}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('leads.followUpFields.content')}
          rules={[rules.requiredTrimmed, rules.maxLength(5000)]}
        >
          <Input.TextArea rows={3} data-testid="follow-up-content" />
        </Form.Item>
        <Form.Item
          name="result"
          label={t('leads.followUpFields.result')}
          rules={[rules.maxLength(500)]}
        >
          <Input data-testid="follow-up-result" />
        </Form.Item>
        <Form.Item name="nextAt" label={t('leads.followUpFields.nextAt')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            data-testid="follow-up-next-at"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={add.isPending}
          data-testid="follow-up-submit"
        >
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
