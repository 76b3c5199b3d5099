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
  sameRecordMatch,
  useDuplicateCheck,
} from '../../../lib/duplicates.ts';
import { fieldProblems, useErrorText } from '../../../lib/errors.ts';
import { useFormRules } from '../../../lib/form-rules.ts';
import { useTenantSettings } from '../../../lib/tenant-settings.ts';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { formatDate } from '../../../lib/format.ts';
import { useMe } from '../../../lib/session.ts';
import { useConvertLead } from '../api/leads.ts';

/** Optional where the form watches a field: before the form mounts it holds nothing. */
interface ConvertFormValues {
  name?: string;
  kind?: CustomerKind;
  creditCode?: string;
  createContact: boolean;
  withOpportunity?: boolean;
  /** A manager's choice of a new customer beside a likely duplicate. */
  createNew?: boolean;
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

const refusalRules = [
  'territory',
  'protected',
  'capacity',
  'daily_limit',
  'collusion',
  'pool',
] as const;
type RefusalRule = (typeof refusalRules)[number];

/**
 * The conversion was refused by the claim of the matching public customer (or by a
 * duplicate rule): which customer, the rule with its numbers, and whether the caller may
 * create a new customer instead.
 */
interface Refusal {
  customerName: string;
  rule: RefusalRule | undefined;
  details: Record<string, unknown>;
  createNewAllowed: boolean;
}

function refusalOf(err: unknown): Refusal | undefined {
  if (!isApiError(err)) return undefined;
  const details: unknown = err.details;
  if (typeof details !== 'object' || details === null) return undefined;
  if (!('customerName' in details) || typeof details.customerName !== 'string') return undefined;
  const rule = 'rule' in details ? refusalRules.find((r) => r === details.rule) : undefined;
  return {
    customerName: details.customerName,
    rule,
    details: { ...details },
    createNewAllowed: 'createNewAllowed' in details && details.createNewAllowed === true,
  };
}

function detail(details: Record<string, unknown>, key: string): string {
  const value = details[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
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
  // What was last sent, to send again as a new customer when the link is refused.
  const [sent, setSent] = useState<ConvertFormValues | null>(null);
  const me = useMe();
  const manager = me.roles.some((r) => r === 'manager' || r === 'admin');

  const initialName = lead.company ?? lead.contactName ?? '';
  const initialKind: CustomerKind = lead.company ? 'company' : 'person';
  const name = Form.useWatch('name', form) ?? initialName;
  const kind = Form.useWatch('kind', form) ?? initialKind;
  const creditCode = Form.useWatch('creditCode', form);
  const withOpportunity = Form.useWatch('withOpportunity', form) ?? false;
  const createNew = Form.useWatch('createNew', form) ?? false;
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
  if (linksExisting && best && createNew && manager) {
    hint = t('leads.convert.willCreateBeside', { name: best.name });
  } else if (linksExisting && best) {
    // Without an owner it is a public customer: linking it is a claim.
    hint =
      best.ownerName === null
        ? t('leads.convert.willClaim', { name: best.name })
        : best.visible
          ? t('leads.convert.willLink', { name: best.name })
          : t('leads.convert.willLinkColleague', { name: best.name, owner: best.ownerName });
  } else if (matches.length > 0) {
    hint = linksExisting ? t('leads.convert.willCreate') : t('leads.convert.checkOff');
  }

  const showFailure = (err: unknown) => {
    if (refusalOf(err)) {
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

  const send = (values: ConvertFormValues, newCustomer: boolean) => {
    setFailure(null);
    setSent(values);
    const customerKind = values.kind ?? initialKind;
    const code = customerKind === 'company' ? clean(values.creditCode) : undefined;
    const body: ConvertLeadBody = {
      customer: {
        name: (values.name ?? initialName).trim(),
        kind: customerKind,
        ...(code === undefined ? {} : { creditCode: code }),
      },
      createContact: values.createContact,
      // Beside matches that are only possible, the hint said a new customer is made.
      ...(newCustomer || (linksExisting && matches.length > 0 && !best) ? { createNew: true } : {}),
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
  const submit = (values: ConvertFormValues) => {
    send(values, Boolean(values.createNew && best && manager));
  };

  if (result) {
    // A colleague's customer stays theirs: the rep opens their opportunity instead.
    const open = result.customer
      ? {
          testId: 'convert-open-customer',
          path: `/customers/${encodeURIComponent(result.customerId)}`,
          label: t('leads.convert.openCustomer'),
        }
      : result.opportunity
        ? {
            testId: 'convert-open-opportunity',
            path: `/opportunities/${encodeURIComponent(result.opportunity.id)}`,
            label: t('leads.convert.openOpportunity'),
          }
        : null;
    return (
      <Modal open title={t('leads.convert.title')} footer={null} onCancel={onClose} destroyOnHidden>
        <Result
          status="success"
          data-testid="convert-result"
          title={
            !result.customer
              ? t('leads.convert.linkedColleague')
              : result.linkedExisting
                ? t('leads.convert.linkedExisting')
                : t('leads.convert.created')
          }
          subTitle={
            <Typography.Text data-testid="convert-result-details">
              {[
                result.customer
                  ? t('leads.convert.resultCustomer', { name: result.customerName })
                  : t('leads.convert.resultCustomerOf', {
                      name: result.customerName,
                      owner: result.customerOwnerName ?? t('dedupe.noOwner'),
                    }),
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
            open ? (
              <Button
                key="open"
                type="primary"
                data-testid={open.testId}
                onClick={() => {
                  onClose();
                  void navigate(open.path);
                }}
              >
                {open.label}
              </Button>
            ) : null,
            <Button key="close" data-testid="convert-close" onClick={onClose}>
              {t('common.close')}
            </Button>,
          ]}
        />
      </Modal>
    );
  }

  const refusal = refusalOf(failure);
  const refusalReason = (r: Refusal): string | undefined => {
    const d = (key: string) => detail(r.details, key);
    switch (r.rule) {
      case 'territory':
        return t('leads.convert.refusalRules.territory', {
          regionName: d('regionName'),
          ownerNodeName: d('ownerNodeName'),
        });
      case 'protected':
        return t('leads.convert.refusalRules.protected', {
          date: formatDate(d('protectedUntil')),
        });
      case 'capacity':
        return t('leads.convert.refusalRules.capacity', { used: d('used'), max: d('max') });
      case 'daily_limit':
        return t('leads.convert.refusalRules.daily_limit', {
          claimedToday: d('claimedToday'),
          dailyMax: d('dailyMax'),
        });
      case 'collusion':
        return t('leads.convert.refusalRules.collusion', { partnerName: d('partnerName') });
      case 'pool':
        return t('leads.convert.refusalRules.pool');
      default:
        return undefined;
    }
  };
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
        {refusal ? (
          <Alert
            type="error"
            showIcon
            style={{ marginTop: 12 }}
            data-testid="convert-refused"
            title={t('leads.convert.refused', { name: refusal.customerName })}
            description={
              <>
                <div>{refusalReason(refusal) ?? errorText(failure).description}</div>
                {refusal.createNewAllowed ? <div>{t('leads.convert.refusedCreateNew')}</div> : null}
              </>
            }
            action={
              refusal.createNewAllowed ? (
                <Button
                  size="small"
                  data-testid="convert-create-new-instead"
                  loading={convert.isPending}
                  onClick={() => {
                    if (sent) send(sent, true);
                  }}
                >
                  {t('leads.convert.createNewInstead')}
                </Button>
              ) : undefined
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
            createNew: false,
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
          {linksExisting && best && manager ? (
            <Form.Item
              name="createNew"
              label={t('leads.convert.createNew')}
              valuePropName="checked"
              extra={t('leads.convert.createNewHint')}
            >
              <Switch data-testid="convert-create-new" />
            </Form.Item>
          ) : null}
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
