import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@tide/contract';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useResetPassword } from '../api/users.ts';

const fieldNames = ['password'] as const;

interface ResetValues {
  password: string;
  confirm: string;
}

export function ResetPasswordDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<ResetValues>();
  const reset = useResetPassword();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: ResetValues) => {
    reset.mutate(
      { id: user.id, password: values.password },
      {
        onSuccess: () => {
          notify.success(t('users.passwordReset'));
          onClose();
        },
        onError,
      },
    );
  };

  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.displayName })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form<ResetValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          rules={[rules.required, rules.password]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('users.confirmPassword')}
          dependencies={['password']}
          rules={[rules.required, rules.sameAs('password')]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
