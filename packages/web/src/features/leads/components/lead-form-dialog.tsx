import { useState } from 'react';
import { Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CreateLeadBody, DuplicateMatch, Lead, UpdateLeadBody } from '@tide/contract';
import { DuplicateWarning } from '../../../components/duplicate-matches.tsx';
import { OwnerChoiceFields } from '../../../components/owner-choice-fields.tsx';
import { useDuplicatesNotice } from '../../../components/use-duplicates-notice.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import { duplicateRefusalMatches, useTypingDuplicateCheck } from '../../../lib/duplicates.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useCreateLead, useUpdateLead } from '../api/leads.ts';
import { blankToNull, ownerIdFor, type OwnerChoice } from '../../../lib/form-values.ts';

interface LeadFormValues {
  company?: string;
  contactName?: string;
  phone?: string;
  email?: string;
  address?: string;
  source?: string;
  ownerChoice: OwnerChoice;
  ownerId?: string | null;
}

const fieldNames = [
  'company',
  'contactName',
  'phone',
  'email',
  'address',
  'source',
  'ownerId',
] as const;

interface LeadFormDialogProps {
  /** Edit this lead; without it the dialog creates one. */
  lead?: Lead;
  /** Managers may put a new lead into the pool or give it to a rep straight away. */
  canAssign: boolean;
  onClose: () => void;
  onCreated?: (lead: Lead) => void;
}

export function LeadFormDialog({ lead, canAssign, onClose, onCreated }: LeadFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<LeadFormValues>();
  const create = useCreateLead();
  const update = useUpdateLead();
  const onError = useFormErrorHandler(form, fieldNames);
  const showDuplicates = useDuplicatesNotice();
  const editing = lead !== undefined;
  const [refused, setRefused] = useState<DuplicateMatch[] | null>(null);

  const company = Form.useWatch('company', form);
  const contactName = Form.useWatch('contactName', form);
  const phone = Form.useWatch('phone', form);
  const address = Form.useWatch('address', form);
  // An edited lead is checked (without itself) only once a key changed: what it already
  // matched is no news to whoever opens the form.
  const keyChanged = lead
    ? (company ?? '') !== (lead.company ?? '') ||
      (contactName ?? '') !== (lead.contactName ?? '') ||
      (phone ?? '') !== (lead.phone ?? '')
    : true;
  // A lead without a company is a person: their name is what may match.
  const duplicates = useTypingDuplicateCheck(
    {
      type: 'lead',
      name: blankToNull(company) ?? contactName,
      phone,
      address,
      excludeId: lead?.id,
    },
    keyChanged,
  );
  const onSaveError = (err: unknown) => {
    const matches = duplicateRefusalMatches(err);
    if (matches) setRefused(matches);
    else onError(err);
  };

  // The same rule as the contract's refine, checked on the company field where the
  // server reports it too.
  const needOneOf = {
    validator: () => {
      const filled = (['company', 'contactName', 'phone'] as const).some((name) => {
        const value: unknown = form.getFieldValue(name);
        return typeof value === 'string' && blankToNull(value) !== null;
      });
      return filled ? Promise.resolve() : Promise.reject(new Error(t('leads.needOneOf')));
    },
  };

  const submit = (values: LeadFormValues) => {
    const fields: UpdateLeadBody = {
      company: blankToNull(values.company),
      contactName: blankToNull(values.contactName),
      phone: blankToNull(values.phone),
      email: blankToNull(values.email),
      address: blankToNull(values.address),
      source: blankToNull(values.source),
    };
    setRefused(null);
    if (lead) {
      update.mutate(
        { id: lead.id, body: fields },
        {
          onSuccess: (saved) => {
            notify.success(t('leads.updated'));
            showDuplicates(saved, 'lead-saved-duplicates');
            onClose();
          },
          onError: onSaveError,
        },
      );
      return;
    }
    const body: CreateLeadBody = { ...fields, ...ownerIdFor(values.ownerChoice, values.ownerId) };
    create.mutate(body, {
      onSuccess: (created) => {
        notify.success(t('leads.created'));
        showDuplicates(created, 'lead-saved-duplicates');
        onClose();
        onCreated?.(created);
      },
      onError: onSaveError,
    });
  };

  return (
    <Modal
      open
      title={editing ? t('leads.edit') : t('leads.create')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<LeadFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => {
          // What the server refused was the previous input; the live check takes over.
          setRefused(null);
        }}
        initialValues={{
          company: lead?.company ?? undefined,
          contactName: lead?.contactName ?? undefined,
          phone: lead?.phone ?? undefined,
          email: lead?.email ?? undefined,
          address: lead?.address ?? undefined,
          source: lead?.source ?? undefined,
          ownerChoice: 'keep',
        }}
      >
        <Form.Item
          name="company"
          label={t('leads.fields.company')}
          dependencies={['contactName', 'phone']}
          rules={[needOneOf, rules.maxLength(200)]}
        >
          <Input data-testid="lead-form-company" autoFocus />
        </Form.Item>
        <Form.Item
          name="contactName"
          label={t('leads.fields.contactName')}
          rules={[rules.maxLength(80)]}
        >
          <Input data-testid="lead-form-contact" />
        </Form.Item>
        <Form.Item name="phone" label={t('leads.fields.phone')} rules={[rules.maxLength(40)]}>
          <Input data-testid="lead-form-phone" />
        </Form.Item>
        <Form.Item name="email" label={t('leads.fields.email')} rules={[rules.email]}>
          <Input data-testid="lead-form-email" />
        </Form.Item>
        <Form.Item name="address" label={t('leads.fields.address')} rules={[rules.maxLength(300)]}>
          <Input data-testid="lead-form-address" />
        </Form.Item>
        <Form.Item name="source" label={t('leads.fields.source')} rules={[rules.maxLength(60)]}>
          <Input data-testid="lead-form-source" />
        </Form.Item>
        {!editing && canAssign ? (
          <OwnerChoiceFields
            testId="lead-form"
            labels={{
              choice: t('leads.ownerChoice'),
              keep: t('leads.ownerKeep'),
              pool: t('leads.ownerPool'),
              assign: t('leads.ownerAssign'),
              assignTo: t('leads.assignTo'),
              required: t('leads.ownerRequired'),
            }}
          />
        ) : null}
      </Form>
      <DuplicateWarning
        matches={duplicates.matches}
        refused={refused}
        editing={editing}
        testId="lead-form-duplicates"
      />
    </Modal>
  );
}
