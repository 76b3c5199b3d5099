import { useState } from 'react';
import { Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DuplicateClusterMember } from '@tide/contract';
import { formatDateTime } from '../../../lib/format.ts';

/** Twins share a name: the phone, address and creation time tell them apart. */
function memberLabel(member: DuplicateClusterMember): string {
  const parts = [
    member.name,
    member.phone,
    member.address,
    member.createdAt ? formatDateTime(member.createdAt) : null,
  ];
  return parts.filter((p): p is string => p !== null && p !== '').join(' · ');
}

interface ClusterMergeDialogProps {
  /** The cluster's members the user may see, oldest first; at least two. */
  members: readonly DuplicateClusterMember[];
  onPick: (survivorId: string, otherId: string) => void;
  onClose: () => void;
}

/**
 * A cluster of more than two: which record survives and which is merged into it. The
 * merge screen then compares the two; the others can be merged in the same way after.
 */
export function ClusterMergeDialog({ members, onPick, onClose }: ClusterMergeDialogProps) {
  const { t } = useTranslation();
  const [survivor, setSurvivor] = useState(members[0]?.id);
  const [other, setOther] = useState(members[1]?.id);
  const options = members.map((m) => ({ value: m.id, label: memberLabel(m) }));
  const valid = survivor !== undefined && other !== undefined && survivor !== other;

  return (
    <Modal
      open
      title={t('duplicateReport.mergePickTitle')}
      okText={t('duplicateReport.mergeOpen')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !valid, 'data-testid': 'dup-cluster-merge-open' }}
      onOk={() => {
        if (valid) onPick(survivor, other);
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t('duplicateReport.mergePickHint')}
      </Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('duplicateReport.mergeSurvivor')}>
          <Select<string>
            data-testid="dup-cluster-merge-survivor"
            value={survivor}
            options={options}
            onChange={(next) => {
              setSurvivor(next);
              if (next === other) setOther(members.find((m) => m.id !== next)?.id);
            }}
          />
        </Form.Item>
        <Form.Item label={t('duplicateReport.mergeOther')}>
          <Select<string>
            data-testid="dup-cluster-merge-other"
            value={other}
            options={options.filter((o) => o.value !== survivor)}
            onChange={setOther}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
