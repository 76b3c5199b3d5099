import { useState } from 'react';
import {
  Alert,
  Button,
  DatePicker,
  Divider,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Switch,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  customerKinds,
  type ConvertLeadBody,
  type ConvertLeadResult,
  type CustomerKind,
  type Lead,
} from '@tide/contract';
import { DuplicateMatches } from '../../../components/duplicate-matches.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import {
  completeCreditCode,
  CREDIT_CODE_LENGTH,
  duplicateReasonLabel,
  sameRecordMatch,
  useDuplicateCheck,
} from '../../../lib/duplicates.ts';
import { fieldProblems, useErrorText } from '../../../lib/errors.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useTenantSettings } from '../../../lib/tenant-settings.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useConvertLead } from '../api/leads.ts';

/** Optional where the form watches a field: before the form mounts it holds nothing. */
interface ConvertFormValues {
  name?: string;
  kind?: CustomerKind;
  creditCode?: string;
  createContact: boolean;
  withOpportunity?: boolean;
  opportunityName?: string;
  amount?: number | null;
  expectedCloseDate?: Dayjs | null;
}

type FormField = keyof ConvertFormValues;

/** Where the server's field paths show in this form. */
const fieldsByPath: Record<string, FormField> = {
  'customer.name': 'name',
  'customer.kind': 'kind',
  creditCode: 'creditCode',
  'customer.creditCode': 'creditCode',
  createContact: 'createContact',
  opportunity: 'opportunityName',
  'opportunity.name': 'opportunityName',
  'opportunity.amount': 'amount',
  'opportunity.expectedCloseDate': 'expectedCloseDate',
};

/** The details of a 409 CONFLICT: the matching customer belongs to someone else. */
interface ConflictDetails {
  customerName: string;
  ownerName: string | null;
  reasons: string[];
}

function conflictDetails(err: unknown): ConflictDetails | undefined {
  if (!isApiError(err) || err.code !== 'CONFLICT') return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null) return undefined;
  if (!('customerName' in details) || typeof details.customerName !== 'string') return undefined;
  const ownerName =
    'ownerName' in details && typeof details.ownerName === 'string' ? details.ownerName : null;
  const reasons =
    'reasons' in details && Array.isArray(details.reasons)
      ? details.reasons.filter((r): r is string => typeof r === 'string')
      : [];
  return { customerName: details.customerName, ownerName, reasons };
}

function invalidReason(err: unknown): string | undefined {
  if (!isApiError(err)) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null || !('reason' in details)) return undefined;
  return typeof details.reason === 'string' ? details.reason : undefined;
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}

interface ConvertDialogProps {
  lead: Lead;
  onClose: () => void;
}

/**
 * Converts a lead into a customer (SPEC §2), optionally with a contact and an
 * opportunity. It shows the customers the lead may already be, and says up front when
 * the tenant's duplicate check will link one of them instead of creating a new one.
 */
export function ConvertDialog({ lead, onClose }: ConvertDialogProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [form] = Form.useForm<ConvertFormValues>();
  const convert = useConvertLead();
  const settings = useTenantSettings();
  const [result, setResult] = useState<ConvertLeadResult | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  const initialName = lead.company ?? lead.contactName ?? '';
  const initialKind: CustomerKind = lead.company ? 'company' : 'person';
  const name = Form.useWatch('name', form) ?? initialName;
  const kind = Form.useWatch('kind', form) ?? initialKind;
  const creditCode = Form.useWatch('creditCode', form);
  const withOpportunity = Form.useWatch('withOpportunity', form) ?? false;
  const probeName = useDebouncedValue(name, 400);
  const probeCode = useDebouncedValue(
    kind === 'company' ? completeCreditCode(creditCode) : undefined,
    400,
  );
  const duplicates = useDuplicateCheck(
    { type: 'customer', name: probeName, phone: lead.phone, creditCode: probeCode },
    result === null,
  );
  const matches = (duplicates.data ?? []).filter((m) => m.type === 'customer');
  const linksExisting = settings.data?.duplicateCheckOnCreate ?? true;
  const best = sameRecordMatch(matches);

  let hint: string | undefined;
  if (linksExisting && best) {
    hint = best.visible
      ? t('leads.convert.willLink', { name: best.name })
      : t('leads.convert.willBeRefused', {
          name: best.name,
          owner: best.ownerName ?? t('dedupe.noOwner'),
        });
  } else if (matches.length > 0) {
    hint = linksExisting ? t('leads.convert.willCreate') : t('leads.convert.checkOff');
  }

  const showFailure = (err: unknown) => {
    if (conflictDetails(err)) {
      setFailure(err);
      return;
    }
    const text = errorText(err);
    const problems = isApiError(err) ? fieldProblems(err.details, err.message) : [];
    const reason = invalidReason(err);
    const byField = new Map<FormField, string[]>();
    for (const problem of problems) {
      const field = problem.field === undefined ? undefined : fieldsByPath[problem.field];
      if (!field) continue;
      const message =
        field === 'creditCode' && reason
          ? t('leads.convert.invalidCreditCode', { reason })
          : `${text.title}: ${problem.message}`;
      byField.set(field, [...(byField.get(field) ?? []), message]);
    }
    if (byField.size > 0) {
      form.setFields([...byField].map(([field, errors]) => ({ name: field, errors })));
      setFailure(null);
      return;
    }
    setFailure(err);
  };

  const submit = (values: ConvertFormValues) => {
    setFailure(null);
    const customerKind = values.kind ?? initialKind;
    const code = customerKind === 'company' ? clean(values.creditCode) : undefined;
    const body: ConvertLeadBody = {
      customer: {
        name: (values.name ?? initialName).trim(),
        kind: customerKind,
        ...(code === undefined ? {} : { creditCode: code }),
      },
      createContact: values.createContact,
    };
    if (values.withOpportunity && values.opportunityName) {
      body.opportunity = {
        name: values.opportunityName.trim(),
        amount: values.amount ?? null,
        expectedCloseDate: values.expectedCloseDate
          ? values.expectedCloseDate.format('YYYY-MM-DD')
          : null,
      };
    }
    convert.mutate(
      { id: lead.id, body },
      {
        onSuccess: (converted) => {
          setResult(converted);
        },
        onError: showFailure,
      },
    );
  };

  if (result) {
    const customerPath = `/customers/${encodeURIComponent(result.customer.id)}`;
    return (
      <Modal open title={t('leads.convert.title')} footer={null} onCancel={onClose} destroyOnHidden>
        <Result
          status="success"
          data-testid="convert-result"
          title={
            result.linkedExisting ? t('leads.convert.linkedExisting') : t('leads.convert.created')
          }
          subTitle={
            <Typography.Text data-testid="convert-result-details">
              {[
                t('leads.convert.resultCustomer', { name: result.customer.name }),
                ...(result.contact
                  ? [t('leads.convert.resultContact', { name: result.contact.name })]
                  : []),
                ...(result.opportunity
                  ? [t('leads.convert.resultOpportunity', { name: result.opportunity.name })]
                  : []),
              ].join(t('dedupe.separator'))}
            </Typography.Text>
          }
          extra={[
            <Button
              key="open"
              type="primary"
              data-testid="convert-open-customer"
              onClick={() => {
                onClose();
                void navigate(customerPath);
              }}
            >
              {t('leads.convert.openCustomer')}
            </Button>,
            <Button key="close" data-testid="convert-close" onClick={onClose}>
              {t('common.close')}
            </Button>,
          ]}
        />
      </Modal>
    );
  }

  const conflict = conflictDetails(failure);
  return (
    <Modal
      open
      width={640}
      title={t('leads.convert.title')}
      okText={t('leads.convert.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'convert-submit' }}
      confirmLoading={convert.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
    >
      <div data-testid="convert-dialog">
        <Typography.Paragraph type="secondary">{t('leads.convert.intro')}</Typography.Paragraph>
        {duplicates.isError ? (
          <ErrorAlert error={duplicates.error} onRetry={() => void duplicates.refetch()} />
        ) : duplicates.isFetching && matches.length === 0 ? (
          <Loading height={48} />
        ) : (
          <DuplicateMatches
            matches={matches}
            {...(hint === undefined ? {} : { hint })}
            testId="convert-duplicates"
          />
        )}
        {conflict ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="convert-conflict"
            title={t('leads.convert.conflict', {
              name: conflict.customerName,
              owner: conflict.ownerName ?? t('dedupe.noOwner'),
            })}
            description={
              <>
                {conflict.reasons.length > 0 ? (
                  <div>
                    {t('leads.convert.conflictReasons', {
                      reasons: conflict.reasons
                        .map((r) => duplicateReasonLabel(t, r))
                        .join(t('dedupe.separator')),
                    })}
                  </div>
                ) : null}
                <div>{t('leads.convert.conflictHint')}</div>
              </>
            }
          />
        ) : failure ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={failure} testId="convert-error" />
          </div>
        ) : null}
        <Divider titlePlacement="start">{t('leads.convert.customerSection')}</Divider>
        <Form<ConvertFormValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{
            name: initialName,
            kind: initialKind,
            createContact: Boolean(lead.contactName),
            withOpportunity: false,
          }}
        >
          <Form.Item
            name="name"
            label={t('customers.fields.name')}
            rules={[rules.requiredTrimmed, rules.maxLength(200)]}
          >
            <Input data-testid="convert-name" />
          </Form.Item>
          <Form.Item name="kind" label={t('customers.fields.kind')} rules={[rules.required]}>
            <Radio.Group
              data-testid="convert-kind"
              options={customerKinds.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
            />
          </Form.Item>
          {kind === 'company' ? (
            <Form.Item
              name="creditCode"
              label={t('customers.fields.creditCode')}
              rules={[rules.maxLength(CREDIT_CODE_LENGTH)]}
              extra={t('leads.convert.creditCodeHint')}
            >
              <Input data-testid="convert-credit-code" />
            </Form.Item>
          ) : null}
          <Form.Item
            name="createContact"
            label={t('leads.convert.createContact')}
            valuePropName="checked"
            extra={
              lead.contactName
                ? t('leads.convert.createContactHint', { name: lead.contactName })
                : t('leads.convert.noContactName')
            }
          >
            <Switch data-testid="convert-create-contact" disabled={!lead.contactName} />
          </Form.Item>
          <Divider titlePlacement="start">{t('leads.convert.opportunitySection')}</Divider>
          <Form.Item
            name="withOpportunity"
            label={t('leads.convert.createOpportunity')}
            valuePropName="checked"
          >
            <Switch data-testid="convert-with-opportunity" />
          </Form.Item>
          {withOpportunity ? (
            <>
              <Form.Item
                name="opportunityName"
                label={t('opportunities.fields.name')}
                rules={[rules.requiredTrimmed, rules.maxLength(200)]}
              >
                <Input data-testid="convert-opportunity-name" />
              </Form.Item>
              <Form.Item name="amount" label={t('opportunities.fields.amount')}>
                <InputNumber<number>
                  min={0}
                  max={1e12}
                  precision={2}
                  style={{ width: '100%' }}
                  data-testid="convert-opportunity-amount"
                />
              </Form.Item>
              <Form.Item
                name="expectedCloseDate"
                label={t('opportunities.fields.expectedCloseDate')}
              >
                <DatePicker style={{ width: '100%' }} data-testid="convert-opportunity-date" />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </div>
    </Modal>
  );
}
