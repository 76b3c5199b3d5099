import { Button, Card, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { followUpTypes, type CreateFollowUpBody, type FollowUpType } from '@tide/contract';
import { useFormErrorHandler, useNotify } from './use-notify.ts';
import { useFormRules } from '../lib/form-rules.ts';

interface FollowUpValues {
  type: FollowUpType;
  content: string;
  result?: string;
  nextAt?: Dayjs | null;
}

const fieldNames = ['type', 'content', 'result', 'nextAt'] as const;

interface FollowUpFormProps {
  pending: boolean;
  /** Sends the follow-up; resolves once saved so the form can clear itself. */
  onSubmit: (body: CreateFollowUpBody) => Promise<unknown>;
  title?: string;
}

/** Logs a call, visit or message on any record: a lead, a customer or an opportunity. */
export function FollowUpForm({ pending, onSubmit, title }: FollowUpFormProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<FollowUpValues>();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: FollowUpValues) => {
    const result = values.result?.trim();
    onSubmit({
      type: values.type,
      content: values.content.trim(),
      result: result === undefined || result === '' ? null : result,
      nextAt: values.nextAt ? values.nextAt.toISOString() : null,
    }).then(() => {
      notify.success(t('followUps.added'));
      form.resetFields();
    }, onError);
  };

  return (
    <Card title={title ?? t('followUps.title')} size="small" data-testid="follow-up-form">
      <Form<FollowUpValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ type: 'call' }}
      >
        <Form.Item name="type" label={t('followUps.fields.type')} rules={[rules.required]}>
          <Select
            data-testid="follow-up-type"
            options={followUpTypes.map((type) => ({
              value: type,
              label: t(`followUps.types.${type}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('followUps.fields.content')}
          rules={[rules.requiredTrimmed, rules.maxLength(5000)]}
        >
          <Input.TextArea rows={3} data-testid="follow-up-content" />
        </Form.Item>
        <Form.Item
          name="result"
          label={t('followUps.fields.result')}
          rules={[rules.maxLength(500)]}
        >
          <Input data-testid="follow-up-result" />
        </Form.Item>
        <Form.Item name="nextAt" label={t('followUps.fields.nextAt')}>
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: '100%' }}
            data-testid="follow-up-next-at"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={pending} data-testid="follow-up-submit">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
