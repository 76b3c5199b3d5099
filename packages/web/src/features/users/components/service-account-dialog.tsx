import { Alert, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission, User } from '@tide/contract';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { PermissionPicker } from '../../../components/pickers/permission-picker.tsx';
import { AccountNameFields } from './account-fields.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { isPermission } from '../../../lib/permissions.ts';
import { useCreateServiceAccount, useUpdateUser } from '../api/users.ts';

interface ServiceAccountValues {
  username: string;
  displayName: string;
  nodeId: string;
  permissions: Permission[];
}

const fieldNames = ['username', 'displayName', 'nodeId', 'permissions'] as const;

interface ServiceAccountDialogProps {
  /** The account to edit; absent to create one. */
  account?: User;
  defaultNodeId?: string;
  onClose: () => void;
}

/** Creates or edits a service account: where it sits (what it reads) and what it may do. */
export function ServiceAccountDialog({
  account,
  defaultNodeId,
  onClose,
}: ServiceAccountDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<ServiceAccountValues>();
  const create = useCreateServiceAccount();
  const update = useUpdateUser();
  const onError = useFormErrorHandler(form, fieldNames);
  const editing = account !== undefined;

  const submit = (values: ServiceAccountValues) => {
    const done = (message: string) => () => {
      notify.success(message);
      onClose();
    };
    if (account) {
      update.mutate(
        {
          id: account.id,
          body: {
            displayName: values.displayName.trim(),
            nodeId: values.nodeId,
            permissions: values.permissions,
          },
        },
        { onSuccess: done(t('users.updated')), onError },
      );
      return;
    }
    create.mutate(
      {
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        nodeId: values.nodeId,
        permissions: values.permissions,
      },
      { onSuccess: done(t('users.serviceAccountCreated')), onError },
    );
  };

  const initialValues: Partial<ServiceAccountValues> = account
    ? {
        username: account.username,
        displayName: account.displayName,
        nodeId: account.nodeId,
        permissions: account.permissions.filter(isPermission),
      }
    : { ...(defaultNodeId ? { nodeId: defaultNodeId } : {}), permissions: [] };

  return (
    <Modal
      open
      title={editing ? t('users.editServiceAccount') : t('users.createServiceAccount')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={720}
    >
      <Alert
        type="info"
        showIcon
        title={t('users.serviceAccountHint')}
        style={{ marginBottom: 16 }}
      />
      <Form<ServiceAccountValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        data-testid="service-account-form"
      >
        <AccountNameFields editing={editing} testId="service-account" />
        <Form.Item
          name="nodeId"
          label={t('users.node')}
          extra={t('users.serviceAccountNodeHint')}
          rules={[{ required: true, message: t('validation.nodeRequired') }]}
        >
          <OrgNodeSelect />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('users.permissions')}
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t('validation.permissionsRequired'),
            },
          ]}
        >
          <PermissionPicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
