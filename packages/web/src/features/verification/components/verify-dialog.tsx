import { Form, Input, Modal, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { verificationResults, type VerificationResult } from '@tide/contract';

interface VerifyValues {
  result: VerificationResult;
  note?: string;
}

interface VerifyDialogProps {
  /** What to call the lead: its company, contact or phone. */
  name: string;
  /** The button that opened the dialog; may still be changed. */
  result: VerificationResult;
  pending: boolean;
  onSubmit: (values: { result: VerificationResult; note?: string }) => void;
  onClose: () => void;
}

/** The call's result with an optional note, kept on the lead and in its timeline. */
export function VerifyDialog({ name, result, pending, onSubmit, onClose }: VerifyDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<VerifyValues>();
  return (
    <Modal
      open
      title={t('verification.dialogTitle', { name })}
      okText={t('verification.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'verify-submit' }}
      confirmLoading={pending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<VerifyValues>
        form={form}
        layout="vertical"
        initialValues={{ result }}
        onFinish={(values) => {
          const note = values.note?.trim();
          onSubmit({ result: values.result, ...(note ? { note } : {}) });
        }}
        data-testid="verify-form"
      >
        <Form.Item name="result" label={t('verification.result')}>
          <Radio.Group
            optionType="button"
            options={verificationResults.map((r) => ({
              value: r,
              label: (
                <span data-testid={`verify-result-${r}`}>{t(`verification.results.${r}`)}</span>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="note"
          label={t('verification.note')}
          rules={[{ max: 500, message: t('validation.maxLength', { max: 500 }) }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('verification.notePlaceholder')}
            data-testid="verify-note"
          />
        </Form.Item>
        <Typography.Text type="secondary">{t(`verification.resultHint`)}</Typography.Text>
      </Form>
    </Modal>
  );
}
