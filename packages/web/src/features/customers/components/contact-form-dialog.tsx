import { useState } from 'react';
import { DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Contact, DuplicateMatch, UpdateContactBody } from '@tide/contract';
import { DuplicateWarning } from '../../../components/duplicate-matches.tsx';
import { useDuplicatesNotice } from '../../../components/use-duplicates-notice.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { duplicateRefusalMatches, useTypingDuplicateCheck } from '../../../lib/duplicates.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useCreateContact, useUpdateContact } from '../api/customers.ts';
import { blankToNull } from '../../../lib/form-values.ts';

interface ContactFormValues {
  name: string;
  title?: string;
  phone?: string;
  email?: string;
  wechat?: string;
  birthday?: Dayjs | null;
  preferences?: string;
}

const fieldNames = [
  'name',
  'title',
  'phone',
  'email',
  'wechat',
  'birthday',
  'preferences',
] as const;

interface ContactFormDialogProps {
  customerId: string;
  /** Edit this contact; without it the dialog adds one. */
  contact?: Contact;
  onClose: () => void;
}

export function ContactFormDialog({ customerId, contact, onClose }: ContactFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<ContactFormValues>();
  const create = useCreateContact();
  const update = useUpdateContact();
  const onError = useFormErrorHandler(form, fieldNames);
  const showDuplicates = useDuplicatesNotice();
  const [refused, setRefused] = useState<DuplicateMatch[] | null>(null);

  const name = Form.useWatch('name', form);
  const phone = Form.useWatch('phone', form);
  const email = Form.useWatch('email', form);
  // An edited contact is checked (without itself) only once a key changed: what it
  // already matched is no news to whoever opens the form.
  const keyChanged = contact
    ? name !== contact.name ||
      (phone ?? '') !== (contact.phone ?? '') ||
      (email ?? '') !== (contact.email ?? '')
    : true;
  // A contact's name only counts at its own customer; a phone or email anywhere.
  const duplicates = useTypingDuplicateCheck(
    { type: 'contact', name, phone, email, customerId, excludeId: contact?.id },
    keyChanged,
  );

  const submit = (values: ContactFormValues) => {
    const fields = {
      name: values.name.trim(),
      title: blankToNull(values.title),
      phone: blankToNull(values.phone),
      email: blankToNull(values.email),
      wechat: blankToNull(values.wechat),
      birthday: values.birthday ? values.birthday.format('YYYY-MM-DD') : null,
      preferences: blankToNull(values.preferences),
    } satisfies UpdateContactBody;
    const done = {
      onSuccess: (saved: { duplicates?: DuplicateMatch[] }) => {
        notify.success(t('contacts.saved'));
        showDuplicates(saved, 'contact-saved-duplicates');
        onClose();
      },
      onError: (err: unknown) => {
        const matches = duplicateRefusalMatches(err);
        if (matches) setRefused(matches);
        else onError(err);
      },
    };
    setRefused(null);
    if (contact) update.mutate({ id: contact.id, body: fields }, done);
    else create.mutate({ customerId, ...fields }, done);
  };

  return (
    <Modal
      open
      title={contact ? t('contacts.edit') : t('contacts.create')}
      okText={contact ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'contact-form-submit' }}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<ContactFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => {
          // What the server refused was the previous input; the live check takes over.
          setRefused(null);
        }}
        initialValues={{
          name: contact?.name,
          title: contact?.title ?? undefined,
          phone: contact?.phone ?? undefined,
          email: contact?.email ?? undefined,
          wechat: contact?.wechat ?? undefined,
          birthday: contact?.birthday ? dayjs(contact.birthday) : null,
          preferences: contact?.preferences ?? undefined,
        }}
      >
        <Form.Item
          name="name"
          label={t('contacts.fields.name')}
          rules={[rules.requiredTrimmed, rules.maxLength(80)]}
        >
          <Input data-testid="contact-form-name" autoFocus />
        </Form.Item>
        <Form.Item name="title" label={t('contacts.fields.title')} rules={[rules.maxLength(60)]}>
          <Input data-testid="contact-form-title" />
        </Form.Item>
        <Form.Item name="phone" label={t('contacts.fields.phone')} rules={[rules.maxLength(40)]}>
          <Input data-testid="contact-form-phone" />
        </Form.Item>
        <Form.Item name="email" label={t('contacts.fields.email')} rules={[rules.email]}>
          <Input data-testid="contact-form-email" />
        </Form.Item>
        <Form.Item name="wechat" label={t('contacts.fields.wechat')} rules={[rules.maxLength(60)]}>
          <Input data-testid="contact-form-wechat" />
        </Form.Item>
        <Form.Item name="birthday" label={t('contacts.fields.birthday')}>
          <DatePicker style={{ width: '100%' }} data-testid="contact-form-birthday" />
        </Form.Item>
        <Form.Item
          name="preferences"
          label={t('contacts.fields.preferences')}
          rules={[rules.maxLength(1000)]}
        >
          <Input.TextArea rows={2} data-testid="contact-form-preferences" />
        </Form.Item>
      </Form>
      <DuplicateWarning
        matches={duplicates.matches}
        refused={refused}
        editing={contact !== undefined}
        testId="contact-form-duplicates"
      />
    </Modal>
  );
}
