import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import {
  DownOutlined,
  LockOutlined,
  UpOutlined,
  UserOutlined,
  ApartmentOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { LoginBody, Me } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useLogin } from '../api/auth.ts';

interface LoginFormValues {
  username: string;
  password: string;
  tenant?: string;
}

interface LoginFormProps {
  onLoggedIn: (me: Me) => void;
}

export function LoginForm({ onLoggedIn }: LoginFormProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginFormValues>();
  const [showMore, setShowMore] = useState(false);
  const login = useLogin();

  const submit = (values: LoginFormValues) => {
    const tenant = values.tenant?.trim();
    const body: LoginBody = {
      username: values.username.trim(),
      password: values.password,
      ...(tenant ? { tenant } : {}),
    };
    login.mutate(body, {
      onSuccess: (data) => {
        onLoggedIn(data.user);
      },
    });
  };

  return (
    <Form<LoginFormValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      data-testid="login-form"
      size="large"
    >
      {login.isError ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={login.error} testId="login-error" />
        </div>
      ) : null}
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
      >
        <Input
          prefix={<UserOutlined />}
          autoComplete="username"
          autoFocus
          data-testid="login-username"
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          data-testid="login-password"
        />
      </Form.Item>
      {showMore ? (
        <Form.Item name="tenant" label={t('auth.tenant')}>
          <Input
            prefix={<ApartmentOutlined />}
            placeholder={t('auth.tenantPlaceholder')}
            data-testid="login-tenant"
          />
        </Form.Item>
      ) : null}
      <Form.Item style={{ marginBottom: 8 }}>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={login.isPending}
          data-testid="login-submit"
        >
          {t('auth.submit')}
        </Button>
      </Form.Item>
      <Button
        type="link"
        size="small"
        style={{ paddingInline: 0 }}
        icon={showMore ? <UpOutlined /> : <DownOutlined />}
        iconPlacement="end"
        onClick={() => {
          setShowMore((v) => !v);
        }}
        data-testid="login-more"
      >
        {showMore ? t('auth.less') : t('auth.more')}
      </Button>
    </Form>
  );
}
