import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreateUserBody, UpdateUserBody, User } from '@tide/contract';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { RoleSelect } from '../../../components/pickers/role-select.tsx';
import { AccountNameFields } from './account-fields.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useCreateUser, useUpdateUser } from '../api/users.ts';

interface UserFormValues {
  username: string;
  displayName: string;
  password: string;
  nodeId: string;
  roles: string[];
  email?: string;
  phone?: string;
}

const fieldNames = [
  'username',
  'displayName',
  'password',
  'nodeId',
  'roles',
  'email',
  'phone',
] as const;

interface UserFormDialogProps {
  /** The user to edit; absent to create one. */
  user?: User;
  /** Team preselected for a new user: the one selected in the tree. */
  defaultNodeId?: string;
  onClose: () => void;
}

function optional(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

export function UserFormDialog({ user, defaultNodeId, onClose }: UserFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<UserFormValues>();
  const create = useCreateUser();
  const update = useUpdateUser();
  const editing = user !== undefined;

  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: UserFormValues) => {
    if (user) {
      const body: UpdateUserBody = {
        displayName: values.displayName.trim(),
        nodeId: values.nodeId,
        roles: values.roles,
        email: optional(values.email),
        phone: optional(values.phone),
      };
      update.mutate(
        { id: user.id, body },
        {
          onSuccess: () => {
            notify.success(t('users.updated'));
            onClose();
          },
          onError,
        },
      );
      return;
    }
    const body: CreateUserBody = {
      username: values.username.trim(),
      password: values.password,
      displayName: values.displayName.trim(),
      nodeId: values.nodeId,
      roles: values.roles,
      email: optional(values.email),
      phone: optional(values.phone),
    };
    create.mutate(body, {
      onSuccess: () => {
        notify.success(t('users.created'));
        onClose();
      },
      onError,
    });
  };

  const initialValues: Partial<UserFormValues> = user
    ? {
        username: user.username,
        displayName: user.displayName,
        nodeId: user.nodeId,
        roles: user.roles,
        email: user.email ?? '',
        phone: user.phone ?? '',
      }
    : { ...(defaultNodeId ? { nodeId: defaultNodeId } : {}), roles: ['sales'] };

  return (
    <Modal
      open
      title={editing ? t('users.edit') : t('users.create')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={560}
    >
      <Form<UserFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        data-testid="user-form"
      >
        <AccountNameFields editing={editing} testId="user-form" />
        {editing ? null : (
          <Form.Item
            name="password"
            label={t('users.password')}
            rules={[rules.required, rules.password]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-form-password" />
          </Form.Item>
        )}
        <Form.Item
          name="nodeId"
          label={t('users.node')}
          rules={[{ required: true, message: t('validation.nodeRequired') }]}
        >
          <OrgNodeSelect />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('validation.rolesRequired') },
          ]}
        >
          <RoleSelect />
        </Form.Item>
        <Form.Item name="email" label={t('users.email')} rules={[rules.email]}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ max: 40, message: t('validation.phone') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
