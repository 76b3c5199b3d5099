import { Alert, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgNode } from '@tide/contract';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { UserSelect } from '../../../components/pickers/user-select.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useCreateNode, useUpdateNode } from '../api/org.ts';

export type NodeDialog = 'addChild' | 'rename' | 'move' | 'manager';

interface NodeDialogProps {
  node: OrgNode;
  onClose: () => void;
  /** Called with the node the dialog created or changed, so the page can select it. */
  onDone: (node: OrgNode) => void;
}

const nameField = ['name'] as const;

interface NameValues {
  name: string;
}

export function AddChildDialog({ node, onClose, onDone }: NodeDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<NameValues>();
  const create = useCreateNode();
  const onError = useFormErrorHandler(form, nameField);

  const submit = (values: NameValues) => {
    create.mutate(
      { name: values.name.trim(), parentId: node.id },
      {
        onSuccess: (created) => {
          notify.success(t('org.created'));
          onDone(created);
        },
        onError,
      },
    );
  };

  return (
    <Modal
      open
      title={`${t('org.addChild')} · ${node.name}`}
      okText={t('common.create')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <Form<NameValues> form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="name"
          label={t('org.childName')}
          rules={[rules.requiredTrimmed, rules.maxLength(80)]}
        >
          <Input autoFocus data-testid="org-child-name" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RenameDialog({ node, onClose, onDone }: NodeDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<NameValues>();
  const update = useUpdateNode();
  const onError = useFormErrorHandler(form, nameField);

  const submit = (values: NameValues) => {
    update.mutate(
      { id: node.id, body: { name: values.name.trim() } },
      {
        onSuccess: (changed) => {
          notify.success(t('org.renamed'));
          onDone(changed);
        },
        onError,
      },
    );
  };

  return (
    <Modal
      open
      title={t('org.rename')}
      okText={t('common.save')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form<NameValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ name: node.name }}
      >
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[rules.requiredTrimmed, rules.maxLength(80)]}
        >
          <Input autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const parentField = ['parentId'] as const;

interface MoveValues {
  parentId: string;
}

export function MoveDialog({ node, onClose, onDone }: NodeDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<MoveValues>();
  const update = useUpdateNode();
  const onMoveError = useFormErrorHandler(form, parentField);

  const submit = (values: MoveValues) => {
    update.mutate(
      { id: node.id, body: { parentId: values.parentId } },
      {
        onSuccess: (changed) => {
          notify.success(t('org.moved'));
          onDone(changed);
        },
        // A cycle (moving under its own subtree) answers 409; the picker already prevents it.
        onError: onMoveError,
      },
    );
  };

  return (
    <Modal
      open
      title={`${t('org.move')} · ${node.name}`}
      okText={t('common.save')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('org.moveHint')} style={{ marginBottom: 16 }} />
      <Form<MoveValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={node.parentId ? { parentId: node.parentId } : {}}
      >
        <Form.Item
          name="parentId"
          label={t('org.newParent')}
          rules={[{ required: true, message: t('validation.nodeRequired') }]}
        >
          <OrgNodeSelect excludeSubtreeOf={node.id} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

const managerField = ['managerId'] as const;

interface ManagerValues {
  managerId: string | null;
}

export function ManagerDialog({
  node,
  managerLabel,
  onClose,
  onDone,
}: NodeDialogProps & { managerLabel: string | undefined }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<ManagerValues>();
  const update = useUpdateNode();
  const onManagerError = useFormErrorHandler(form, managerField);

  const submit = (values: ManagerValues) => {
    update.mutate(
      { id: node.id, body: { managerId: values.managerId ?? null } },
      {
        onSuccess: (changed) => {
          notify.success(t('org.managerSet'));
          onDone(changed);
        },
        onError: onManagerError,
      },
    );
  };

  return (
    <Modal
      open
      title={`${t('org.setManager')} · ${node.name}`}
      okText={t('common.save')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <Form<ManagerValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ managerId: node.managerId }}
      >
        <Form.Item name="managerId" label={t('org.manager')}>
          <UserSelect
            allowClear
            placeholder={t('org.noManager')}
            {...(node.managerId && managerLabel
              ? { initialOption: { value: node.managerId, label: managerLabel } }
              : {})}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
