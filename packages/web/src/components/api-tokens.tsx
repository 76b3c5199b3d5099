import { useState } from 'react';
import {
  Alert,
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
  type TableProps,
} from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import type { ApiToken, CreateApiTokenBody, CreatedApiToken } from '@tide/contract';
import { ErrorAlert } from './error-alert.tsx';
import { useFormErrorHandler, useNotify } from './use-notify.ts';
import { formatDateTime } from '../lib/format.ts';
import { useFormRules } from '../lib/form-rules.ts';

const expiryChoices = [30, 90, 365] as const;
type Expiry = (typeof expiryChoices)[number] | 0;

const fieldNames = ['name', 'expiresInDays'] as const;

interface CreateValues {
  name: string;
  expiresInDays: Expiry;
}

/** The secret of a new token, shown this once: the server keeps only its hash. */
function SecretDialog({ token, onClose }: { token: CreatedApiToken; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('account.tokenCreated')}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
      mask={{ closable: false }}
    >
      <Alert
        type="warning"
        showIcon
        title={t('account.tokenSecretOnce')}
        style={{ marginBottom: 16 }}
      />
      <Typography.Paragraph
        code
        copyable={{ text: token.token, tooltips: [t('common.copy'), t('account.copied')] }}
        style={{ wordBreak: 'break-all', padding: 12, background: '#fafafa', borderRadius: 6 }}
        data-testid="token-secret"
      >
        {token.token}
      </Typography.Paragraph>
    </Modal>
  );
}

interface ApiTokensProps {
  tokens: UseQueryResult<ApiToken[]>;
  create: UseMutationResult<CreatedApiToken, Error, CreateApiTokenBody>;
  revoke: UseMutationResult<unknown, Error, string>;
}

/**
 * API tokens of one account: create (the secret shown once), list, revoke. A person's own
 * tokens and an admin's view of a service account's tokens are the same table.
 */
export function ApiTokens({ tokens, create, revoke }: ApiTokensProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<CreateValues>();
  const onError = useFormErrorHandler(form, fieldNames);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const submit = (values: CreateValues) => {
    create.mutate(
      {
        name: values.name.trim(),
        ...(values.expiresInDays > 0 ? { expiresInDays: values.expiresInDays } : {}),
      },
      {
        onSuccess: (token) => {
          form.resetFields();
          setCreated(token);
        },
        onError,
      },
    );
  };

  const columns: TableProps<ApiToken>['columns'] = [
    { title: t('account.tokenName'), dataIndex: 'name', key: 'name' },
    {
      title: t('account.prefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      render: (_v, token) => <Typography.Text code>{token.prefix}…</Typography.Text>,
    },
    {
      title: t('common.createdAt'),
      key: 'createdAt',
      render: (_v, token) => formatDateTime(token.createdAt),
    },
    {
      title: t('account.lastUsed'),
      key: 'lastUsedAt',
      render: (_v, token) =>
        token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('common.never'),
    },
    {
      title: t('account.expiresAt'),
      key: 'expiresAt',
      render: (_v, token) => {
        if (!token.expiresAt) return t('account.noExpiry');
        const expired = dayjs(token.expiresAt).isBefore(dayjs());
        return (
          <>
            {formatDateTime(token.expiresAt)}{' '}
            {expired ? <Tag color="red">{t('account.expired')}</Tag> : null}
          </>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, token) => (
        <Popconfirm
          title={t('account.revokeConfirm', { name: token.name })}
          okText={t('account.revoke')}
          okButtonProps={{ danger: true }}
          cancelText={t('common.cancel')}
          onConfirm={() => {
            revoke.mutate(token.id, {
              onSuccess: () => {
                notify.success(t('account.revoked'));
              },
              onError: (err) => {
                notify.error(err);
              },
            });
          }}
        >
          <Button type="link" size="small" danger>
            {t('account.revoke')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <Form<CreateValues>
        form={form}
        layout="inline"
        onFinish={submit}
        initialValues={{ expiresInDays: 90 }}
        style={{ rowGap: 8, marginBottom: 16 }}
        data-testid="token-create-form"
      >
        <Form.Item
          name="name"
          label={t('account.tokenName')}
          rules={[rules.requiredTrimmed, rules.maxLength(80)]}
        >
          <Input placeholder={t('account.tokenNamePlaceholder')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('account.expiresIn')}>
          <Select<Expiry>
            style={{ width: 140 }}
            options={[
              ...expiryChoices.map((days) => ({
                value: days,
                label: t('account.days', { count: days }),
              })),
              { value: 0 as const, label: t('account.noExpiry') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending}
            data-testid="token-create"
          >
            {t('account.createToken')}
          </Button>
        </Form.Item>
      </Form>
      {tokens.isError ? (
        <ErrorAlert error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={tokens.data ?? []}
          loading={tokens.isFetching}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('account.noTokens')} />
            ),
          }}
          data-testid="token-table"
        />
      )}
      {created ? (
        <SecretDialog
          token={created}
          onClose={() => {
            setCreated(null);
          }}
        />
      ) : null}
    </>
  );
}
