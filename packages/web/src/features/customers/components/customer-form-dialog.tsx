import { useState } from 'react';
import { Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  customerKinds,
  type CreateCustomerBody,
  type Customer,
  type CustomerKind,
  type DuplicateMatch,
  type UpdateCustomerBody,
} from '@tide/contract';
import { DuplicateWarning } from '../../../components/duplicate-matches.tsx';
import { OwnerChoiceFields } from '../../../components/owner-choice-fields.tsx';
import { useDuplicatesNotice } from '../../../components/use-duplicates-notice.tsx';
import { useFormErrorHandler, useNotify } from '../../../components/use-notify.ts';
import {
  completeCreditCode,
  duplicateRefusalMatches,
  useTypingDuplicateCheck,
} from '../../../lib/duplicates.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useCreateCustomer, useUpdateCustomer } from '../api/customers.ts';
import { blankToNull, ownerIdFor, type OwnerChoice } from '../../../lib/form-values.ts';

interface CustomerFormValues {
  name: string;
  kind: CustomerKind;
  creditCode?: string;
  phone?: string;
  industry?: string;
  size?: string;
  address?: string;
  tags?: string[];
  source?: string;
  ownerChoice: OwnerChoice;
  ownerId?: string | null;
}

const fieldNames = [
  'name',
  'kind',
  'creditCode',
  'phone',
  'industry',
  'size',
  'address',
  'tags',
  'source',
  'ownerId',
] as const;

interface CustomerFormDialogProps {
  /** Edit this customer; without it the dialog creates one. */
  customer?: Customer;
  /** Managers may put a new customer into the public pool or give it to a rep. */
  canAssign: boolean;
  onClose: () => void;
  onCreated?: (customer: Customer) => void;
}

export function CustomerFormDialog({
  customer,
  canAssign,
  onClose,
  onCreated,
}: CustomerFormDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const [form] = Form.useForm<CustomerFormValues>();
  const kind = Form.useWatch('kind', form);
  const create = useCreateCustomer();
  const update = useUpdateCustomer();
  const onError = useFormErrorHandler(form, fieldNames);
  const showDuplicates = useDuplicatesNotice();
  const editing = customer !== undefined;
  const [refused, setRefused] = useState<DuplicateMatch[] | null>(null);

  const name = Form.useWatch('name', form);
  const phone = Form.useWatch('phone', form);
  const creditCode = Form.useWatch('creditCode', form);
  const address = Form.useWatch('address', form);
  // An edited customer is checked (without itself) only once a key changed: what it
  // already matched is no news to whoever opens the form.
  const keyChanged = customer
    ? name !== customer.name ||
      (phone ?? '') !== (customer.phone ?? '') ||
      (creditCode ?? '') !== (customer.creditCode ?? '')
    : true;
  const duplicates = useTypingDuplicateCheck(
    {
      type: 'customer',
      name,
      phone,
      creditCode: kind === 'person' ? undefined : completeCreditCode(creditCode),
      address,
      excludeId: customer?.id,
    },
    keyChanged,
  );
  const onSaveError = (err: unknown) => {
    const matches = duplicateRefusalMatches(err);
    if (matches) setRefused(matches);
    else onError(err);
  };

  const submit = (values: CustomerFormValues) => {
    const fields = {
      name: values.name.trim(),
      kind: values.kind,
      // A person has no credit code or company size; hidden inputs may still hold old text.
      creditCode: values.kind === 'person' ? null : blankToNull(values.creditCode),
      phone: blankToNull(values.phone),
      industry: blankToNull(values.industry),
      size: values.kind === 'person' ? null : blankToNull(values.size),
      address: blankToNull(values.address),
      tags: (values.tags ?? []).map((tag) => tag.trim()).filter((tag) => tag !== ''),
      source: blankToNull(values.source),
    } satisfies UpdateCustomerBody;
    setRefused(null);
    if (customer) {
      update.mutate(
        { id: customer.id, body: fields },
        {
          onSuccess: (saved) => {
            notify.success(t('customers.updated'));
            showDuplicates(saved, 'customer-saved-duplicates');
            onClose();
          },
          onError: onSaveError,
        },
      );
      return;
    }
    const body: CreateCustomerBody = {
      ...fields,
      ...ownerIdFor(values.ownerChoice, values.ownerId),
    };
    create.mutate(body, {
      onSuccess: (created) => {
        notify.success(t('customers.created'));
        showDuplicates(created, 'customer-saved-duplicates');
        onClose();
        onCreated?.(created);
      },
      onError: onSaveError,
    });
  };

  return (
    <Modal
      open
      title={editing ? t('customers.edit') : t('customers.create')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'customer-form-submit' }}
      confirmLoading={create.isPending || update.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<CustomerFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => {
          // What the server refused was the previous input; the live check takes over.
          setRefused(null);
        }}
        initialValues={{
          name: customer?.name,
          kind: customer?.kind ?? 'company',
          creditCode: customer?.creditCode ?? undefined,
          phone: customer?.phone ?? undefined,
          industry: customer?.industry ?? undefined,
          size: customer?.size ?? undefined,
          address: customer?.address ?? undefined,
          tags: customer?.tags ?? [],
          source: customer?.source ?? undefined,
          ownerChoice: 'keep',
        }}
      >
        <Form.Item name="kind" label={t('customers.fields.kind')} rules={[rules.required]}>
          <Radio.Group
            data-testid="customer-form-kind"
            options={customerKinds.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('customers.fields.name')}
          rules={[rules.requiredTrimmed, rules.maxLength(200)]}
        >
          <Input data-testid="customer-form-name" autoFocus />
        </Form.Item>
        {kind === 'person' ? null : (
          <Form.Item
            name="creditCode"
            label={t('customers.fields.creditCode')}
            rules={[rules.maxLength(18)]}
          >
            <Input data-testid="customer-form-credit-code" />
          </Form.Item>
        )}
        <Form.Item name="phone" label={t('customers.fields.phone')} rules={[rules.maxLength(40)]}>
          <Input data-testid="customer-form-phone" />
        </Form.Item>
        <Form.Item
          name="industry"
          label={t('customers.fields.industry')}
          rules={[rules.maxLength(60)]}
        >
          <Input data-testid="customer-form-industry" />
        </Form.Item>
        {kind === 'person' ? null : (
          <Form.Item name="size" label={t('customers.fields.size')} rules={[rules.maxLength(40)]}>
            <Input data-testid="customer-form-size" placeholder={t('customers.sizePlaceholder')} />
          </Form.Item>
        )}
        <Form.Item
          name="address"
          label={t('customers.fields.address')}
          rules={[rules.maxLength(300)]}
        >
          <Input data-testid="customer-form-address" />
        </Form.Item>
        <Form.Item name="tags" label={t('customers.fields.tags')}>
          <Select<string[]>
            mode="tags"
            data-testid="customer-form-tags"
            placeholder={t('customers.tagsPlaceholder')}
            maxCount={30}
            tokenSeparators={[',', ',']}
          />
        </Form.Item>
        <Form.Item name="source" label={t('customers.fields.source')} rules={[rules.maxLength(60)]}>
          <Input data-testid="customer-form-source" />
        </Form.Item>
        {!editing && canAssign ? (
          <OwnerChoiceFields
            testId="customer-form"
            labels={{
              choice: t('customers.ownerChoice'),
              keep: t('customers.ownerKeep'),
              pool: t('customers.ownerPool'),
              assign: t('customers.ownerAssign'),
              assignTo: t('customers.ownerAssign'),
              required: t('customers.ownerRequired'),
            }}
          />
        ) : null}
      </Form>
      <DuplicateWarning
        matches={duplicates.matches}
        refused={refused}
        editing={editing}
        testId="customer-form-duplicates"
      />
    </Modal>
  );
}
