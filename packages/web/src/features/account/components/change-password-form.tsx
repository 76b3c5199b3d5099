import { Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useChangePassword } from '../api/account.ts';

const fieldNames = ['currentPassword', 'newPassword'] as const;

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordForm() {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<PasswordValues>();
  const change = useChangePassword();
  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: PasswordValues) => {
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: () => {
          notify.success(t('account.passwordChanged'));
          form.resetFields();
        },
        onError,
      },
    );
  };

  return (
    <Card title={t('account.changePassword')}>
      <Typography.Paragraph type="secondary">
        {t('account.changePasswordHint')}
      </Typography.Paragraph>
      <Form<PasswordValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        style={{ maxWidth: 400 }}
        data-testid="change-password-form"
      >
        <Form.Item
          name="currentPassword"
          label={t('account.currentPassword')}
          rules={[rules.required]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('account.newPassword')}
          rules={[rules.required, rules.password]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[rules.required, rules.sameAs('newPassword')]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
