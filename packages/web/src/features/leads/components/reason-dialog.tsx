import { Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useLeadReasonAction, type ReasonAction } from '../api/leads.ts';

interface ReasonDialogProps {
  leadId: string;
  action: ReasonAction;
  onClose: () => void;
}

interface ReasonValues {
  reason: string;
}

const fieldNames = ['reason'] as const;

const titles = {
  return: 'leads.returnTitle',
  invalidate: 'leads.invalidateTitle',
  void: 'leads.voidTitle',
} as const;

const done = {
  return: 'leads.returned',
  invalidate: 'leads.invalidated',
  void: 'leads.voided',
} as const;

/** Return to the pool, mark invalid or void: each needs a reason the next person can read. */
export function ReasonDialog({ leadId, action, onClose }: ReasonDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<ReasonValues>();
  const mutation = useLeadReasonAction();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: ReasonValues) => {
    mutation.mutate(
      { id: leadId, action, reason: values.reason.trim() },
      {
        onSuccess: () => {
          notify.success(t(done[action]));
          onClose();
        },
        onError,
      },
    );
  };

  return (
    <Modal
      open
      title={t(titles[action])}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: action === 'void', 'data-testid': 'reason-submit' }}
      confirmLoading={mutation.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      {action === 'void' ? (
        <Typography.Paragraph type="secondary">{t('leads.voidHint')}</Typography.Paragraph>
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('leads.reason')}
          rules={[rules.requiredTrimmed, rules.maxLength(500)]}
        >
          <Input.TextArea
            rows={3}
            placeholder={t('leads.reasonPlaceholder')}
            data-testid="reason-input"
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
