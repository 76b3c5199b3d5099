import { Alert, Form, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@tide/contract';
import { UserSelect } from '../../../components/pickers/user-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useDeactivateUser } from '../api/users.ts';

interface DeactivateValues {
  mode: 'colleague' | 'pool';
  colleagueId?: string | null;
}

/** Deactivation hands all the user's records over in one step (SPEC §1, employee departure). */
export function DeactivateDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [form] = Form.useForm<DeactivateValues>();
  const mode = Form.useWatch('mode', form);
  const deactivate = useDeactivateUser();

  const submit = (values: DeactivateValues) => {
    const transferTo = values.mode === 'pool' ? 'pool' : values.colleagueId;
    if (!transferTo) return;
    deactivate.mutate(
      { id: user.id, body: { transferTo } },
      {
        onSuccess: () => {
          notify.success(t('users.deactivated'));
          onClose();
        },
        onError: (err) => {
          notify.error(err);
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('users.deactivateTitle', { name: user.displayName })}
      okText={t('users.deactivate')}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={deactivate.isPending}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        title={t('users.deactivateHint')}
        style={{ marginBottom: 16 }}
      />
      <Form<DeactivateValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ mode: 'colleague' }}
      >
        <Form.Item name="mode" label={t('users.transferTo')}>
          <Radio.Group
            options={[
              { value: 'colleague', label: t('users.transferToColleague') },
              { value: 'pool', label: t('users.transferToPool') },
            ]}
          />
        </Form.Item>
        {mode === 'pool' ? null : (
          <Form.Item
            name="colleagueId"
            label={t('users.colleague')}
            rules={[{ required: true, message: t('validation.transferRequired') }]}
          >
            <UserSelect excludeIds={[user.id]} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
