import { useState } from 'react';
import { Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { mergeableContactFields, type Contact } from '@tide/contract';
import { MergeComparison } from '../../../components/merge/merge-comparison.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDate } from '../../../lib/format.ts';
import { useMergeContact } from '../api/customers.ts';

type MergeableField = (typeof mergeableContactFields)[number];

function contactLabel(contact: Contact): string {
  const reach = contact.phone ?? contact.email;
  return reach ? `${contact.name} · ${reach}` : contact.name;
}

interface ContactMergeDialogProps {
  /** The customer's contacts; the two merged are among them. */
  contacts: readonly Contact[];
  /** The contact the merge was started from: the survivor until swapped. */
  survivorId: string;
  onClose: () => void;
}

/**
 * 联系人合并: another contact of the customer is merged into the survivor. Its
 * follow-ups and links move over; for each field that differs the user picks the value.
 */
export function ContactMergeDialog({ contacts, survivorId, onClose }: ContactMergeDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const merge = useMergeContact();
  const [pair, setPair] = useState<{ survivor: string; other: string | undefined }>(() => {
    const others = contacts.filter((c) => c.id !== survivorId);
    // With one other contact there is nothing to choose.
    return { survivor: survivorId, other: others.length === 1 ? others[0]?.id : undefined };
  });
  const survivor = contacts.find((c) => c.id === pair.survivor);
  const other = contacts.find((c) => c.id === pair.other);

  return (
    <Modal
      open
      width={880}
      title={t('contacts.merge.title')}
      footer={null}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('contacts.merge.intro')}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t('contacts.merge.pickOther', { name: survivor?.name ?? '' })}>
          <Select<string>
            data-testid="contact-merge-other"
            value={pair.other}
            placeholder={t('contacts.merge.pickPlaceholder')}
            onChange={(next) => {
              setPair((prev) => ({ ...prev, other: next }));
            }}
            options={contacts
              .filter((c) => c.id !== pair.survivor)
              .map((c) => ({ value: c.id, label: contactLabel(c) }))}
          />
        </Form.Item>
      </Form>
      {survivor && other ? (
        <MergeComparison<Contact, MergeableField>
          // A new pair starts from the default choices.
          key={`${survivor.id}:${other.id}`}
          framed={false}
          survivor={survivor}
          other={other}
          fields={mergeableContactFields}
          fieldLabel={(field) => t(`contacts.fields.${field}`)}
          valueOf={(contact, field) => contact[field]}
          display={(contact, field) =>
            field === 'birthday' ? formatDate(contact.birthday) : (contact[field] ?? '—')
          }
          heading={(contact, side) => (
            <Typography.Text strong data-testid={`merge-${side}-name`}>
              {contactLabel(contact)}
            </Typography.Text>
          )}
          onSwap={() => {
            setPair({ survivor: other.id, other: survivor.id });
          }}
          pending={merge.isPending}
          submitLabel={t('contacts.merge.submit')}
          confirmTitle={t('contacts.merge.confirmTitle', {
            other: other.name,
            survivor: survivor.name,
          })}
          confirmContent={t('contacts.merge.confirmContent', {
            other: other.name,
            survivor: survivor.name,
          })}
          onMerge={(takeFromOther) =>
            merge
              .mutateAsync({ id: survivor.id, body: { otherId: other.id, takeFromOther } })
              .then(() => {
                notify.success(t('contacts.merge.done'));
                onClose();
              }, notify.error)
          }
        />
      ) : (
        <Typography.Text type="secondary">{t('contacts.merge.pickFirst')}</Typography.Text>
      )}
    </Modal>
  );
}
