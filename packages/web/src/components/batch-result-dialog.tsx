import { Modal, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorCodes, type BatchResult, type ErrorCode } from '@tide/contract';

const knownCodes: readonly string[] = errorCodes;

function isErrorCode(code: string): code is ErrorCode {
  return knownCodes.includes(code);
}

function ownerNameOf(details: unknown): string | undefined {
  if (typeof details === 'object' && details !== null && 'ownerName' in details) {
    const name = details.ownerName;
    if (typeof name === 'string' && name !== '') return name;
  }
  return undefined;
}

interface BatchResultDialogProps {
  result: BatchResult;
  /** What to call each record (the rows selected before the batch ran). */
  names: ReadonlyMap<string, string>;
  onClose: () => void;
}

/** One line per record of a batch: done, or why not (a colleague was quicker). */
export function BatchResultDialog({ result, names, onClose }: BatchResultDialogProps) {
  const { t } = useTranslation();
  const ok = result.results.filter((r) => r.ok).length;
  const failed = result.results.length - ok;

  const reason = (entry: BatchResult['results'][number]): string => {
    const error = entry.error;
    if (!error) return '';
    if (error.code === 'ALREADY_CLAIMED') {
      const owner = ownerNameOf(error.details);
      return owner ? t('batch.alreadyClaimedBy', { name: owner }) : t('batch.alreadyClaimed');
    }
    const title =
      isErrorCode(error.code) || error.code === 'DUPLICATE'
        ? t(`errors.${error.code}`, { defaultValue: error.message })
        : error.message;
    return error.message && error.message !== title ? `${title} (${error.message})` : title;
  };

  return (
    <Modal
      open
      title={t('batch.title')}
      onCancel={onClose}
      onOk={onClose}
      okText={t('common.close')}
      okButtonProps={{ 'data-testid': 'batch-close' }}
      cancelButtonProps={{ style: { display: 'none' } }}
    >
      <Typography.Paragraph data-testid="batch-summary">
        {t('batch.summary', { ok, failed })}
      </Typography.Paragraph>
      <Table<BatchResult['results'][number]>
        size="small"
        rowKey="id"
        bordered
        showHeader={false}
        pagination={false}
        data-testid="batch-results"
        dataSource={result.results}
        columns={[
          { key: 'name', render: (_v, entry) => names.get(entry.id) ?? entry.id },
          {
            key: 'outcome',
            render: (_v, entry) =>
              entry.ok ? (
                <Tag color="success">{t('batch.ok')}</Tag>
              ) : (
                <Typography.Text type="danger">{reason(entry)}</Typography.Text>
              ),
          },
        ]}
      />
    </Modal>
  );
}
