import { Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormErrorHandler } from './use-notify.ts';
import { useFormRules } from '../lib/form-rules.ts';

interface ReasonDialogProps {
  title: string;
  /** A line above the field, explaining what the action does. */
  hint?: string;
  danger?: boolean;
  pending: boolean;
  /** Runs the action; the dialog shows a refusal under the field or as a toast. */
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
  testId?: string;
}

interface ReasonValues {
  reason: string;
}

const fieldNames = ['reason'] as const;

/** An action that needs a reason the next person can read (return to the pool, lose a deal). */
export function ReasonDialog({
  title,
  hint,
  danger,
  pending,
  onSubmit,
  onClose,
  testId,
}: ReasonDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const [form] = Form.useForm<ReasonValues>();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: ReasonValues) => {
    onSubmit(values.reason.trim()).then(onClose, onError);
  };

  return (
    <Modal
      open
      title={title}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, 'data-testid': 'reason-submit' }}
      confirmLoading={pending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
      data-testid={testId}
    >
      {hint ? <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="reason"
          label={t('reasonDialog.reason')}
          rules={[rules.requiredTrimmed, rules.maxLength(500)]}
        >
          <Input.TextArea
            rows={3}
            placeholder={t('reasonDialog.placeholder')}
            data-testid="reason-input"
            autoFocus
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
