import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission, Role } from '@tide/contract';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { roleLabel } from '../../../lib/permissions.ts';
import { useCreateRole, useUpdateRole } from '../api/roles.ts';
import { PermissionPicker } from '../../../components/pickers/permission-picker.tsx';

const fieldNames = ['name', 'label', 'permissions'] as const;

interface RoleFormValues {
  name: string;
  label?: string;
  permissions: Permission[];
}

interface RoleFormDialogProps {
  /** The role to edit or, when built-in, to view; absent to create one. */
  role?: Role;
  onClose: () => void;
}

export function RoleFormDialog({ role, onClose }: RoleFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<RoleFormValues>();
  const create = useCreateRole();
  const update = useUpdateRole();
  const readOnly = role?.builtin ?? false;

  const onError = useFormErrorHandler(form, fieldNames);

  const submit = (values: RoleFormValues) => {
    const label = values.label?.trim() ?? '';
    if (role) {
      update.mutate(
        { name: role.name, body: { label, permissions: values.permissions } },
        {
          onSuccess: () => {
            notify.success(t('roles.updated'));
            onClose();
          },
          onError,
        },
      );
      return;
    }
    create.mutate(
      { name: values.name.trim(), ...(label ? { label } : {}), permissions: values.permissions },
      {
        onSuccess: () => {
          notify.success(t('roles.created'));
          onClose();
        },
        onError,
      },
    );
  };

  const title = role
    ? readOnly
      ? t('roles.viewTitle', { name: roleLabel(t, role.name) })
      : t('roles.edit')
    : t('roles.create');

  return (
    <Modal
      open
      title={title}
      width={720}
      okText={role ? t('common.save') : t('common.create')}
      cancelText={readOnly ? t('common.close') : t('common.cancel')}
      okButtonProps={readOnly ? { style: { display: 'none' } } : {}}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
    >
      {readOnly ? (
        <Alert type="info" showIcon title={t('roles.readOnly')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<RoleFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={readOnly}
        initialValues={
          role
            ? { name: role.name, label: role.label ?? '', permissions: role.permissions }
            : { permissions: [] }
        }
        data-testid="role-form"
      >
        <Form.Item
          name="name"
          label={t('roles.name')}
          extra={role ? undefined : t('roles.nameHelp')}
          rules={role ? [] : [rules.requiredTrimmed, rules.roleName]}
        >
          <Input disabled={role !== undefined} autoComplete="off" />
        </Form.Item>
        <Form.Item name="label" label={t('roles.label')} rules={[rules.maxLength(60)]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('roles.permissions')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('validation.permissionsRequired') },
          ]}
        >
          <PermissionPicker disabled={readOnly} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
