import { Form, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { UserSelect } from '../../../components/pickers/user-select.tsx';

interface AssignValues {
  ownerId?: string | null;
}

interface AssignDialogProps {
  /** How many leads are handed over; shown when more than one. */
  count: number;
  excludeOwnerId?: string | null;
  pending: boolean;
  onSubmit: (ownerId: string) => void;
  onClose: () => void;
}

/** Picks the rep who takes one lead or a batch; the caller runs the mutation. */
export function AssignDialog({
  count,
  excludeOwnerId,
  pending,
  onSubmit,
  onClose,
}: AssignDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AssignValues>();
  return (
    <Modal
      open
      title={t('leads.assignTitle')}
      okText={t('leads.assign')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      {count > 1 ? (
        <Typography.Paragraph type="secondary">
          {t('leads.selected', { count })}
        </Typography.Paragraph>
      ) : null}
      <Form<AssignValues>
        form={form}
        layout="vertical"
        onFinish={(values) => {
          if (values.ownerId) onSubmit(values.ownerId);
        }}
      >
        <Form.Item
          name="ownerId"
          label={t('leads.assignTo')}
          rules={[{ required: true, message: t('leads.ownerRequired') }]}
        >
          <UserSelect
            testId="assign-owner"
            {...(excludeOwnerId ? { excludeIds: [excludeOwnerId] } : {})}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
