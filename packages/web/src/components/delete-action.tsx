import { Button, Popconfirm } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

interface DeleteActionProps {
  /** What the confirmation asks. */
  confirm: string;
  onConfirm: () => void;
  /** The link's test id; the confirming button's is `confirmTestId`. */
  testId: string;
  confirmTestId: string;
}

/** A table row's delete link, which asks before it deletes. */
export function DeleteAction({ confirm, onConfirm, testId, confirmTestId }: DeleteActionProps) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={confirm}
      okText={t('common.delete')}
      okButtonProps={{ danger: true, 'data-testid': confirmTestId }}
      cancelText={t('common.cancel')}
      onConfirm={onConfirm}
    >
      <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={testId}>
        {t('common.delete')}
      </Button>
    </Popconfirm>
  );
}
