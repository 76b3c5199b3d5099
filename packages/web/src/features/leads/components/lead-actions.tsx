import { useState } from 'react';
import { App, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Lead } from '@tide/contract';
import { useNotify } from '../../../components/use-notify.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import {
  useAssignLead,
  useClaimLead,
  useDeleteLead,
  useRestoreVoidedLead,
  type ReasonAction,
} from '../api/leads.ts';
import { AssignDialog } from './assign-dialog.tsx';
import { ConvertDialog } from './convert-dialog.tsx';
import { LeadFormDialog } from './lead-form-dialog.tsx';
import { isActionAllowed, leadName, mayWork } from './lead-status.tsx';
import { ReasonDialog } from './reason-dialog.tsx';

type Dialog =
  | { kind: 'reason'; action: ReasonAction }
  | { kind: 'assign' }
  | { kind: 'edit' }
  | { kind: 'convert' };

/** Only the buttons that the lead's status and the caller's permissions allow. */
export function LeadActions({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const notify = useNotify();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const claim = useClaimLead();
  const restore = useRestoreVoidedLead();
  const assign = useAssignLead();
  const remove = useDeleteLead();
  const canClaim = useCan('lead.claim');
  const canUpdate = useCan('lead.update');
  const canAssign = useCan('lead.assign');
  const canRestore = useCan('lead.restore');
  const canDelete = useCan('lead.delete');
  const canMerge = useCan('lead.merge');
  const me = useMe();
  const works = mayWork(lead, me.id, canAssign);
  // Voiding a pool lead needs no owner; voiding an owned one is the owner's call.
  const mayVoid = lead.status === 'unassigned' || works;
  const name = leadName(lead) ?? t('leads.unnamed');
  const allowed = (action: Parameters<typeof isActionAllowed>[0]) =>
    isActionAllowed(action, lead.status);

  const reasonButton = (action: ReasonAction, label: string, danger = false) => (
    <Button
      danger={danger}
      data-testid={`lead-${action}`}
      onClick={() => {
        setDialog({ kind: 'reason', action });
      }}
    >
      {label}
    </Button>
  );

  return (
    <>
      <Space wrap>
        {canClaim && allowed('claim') ? (
          <Button
            type="primary"
            loading={claim.isPending}
            data-testid="lead-claim"
            onClick={() => {
              claim.mutate(lead.id, {
                onSuccess: () => {
                  notify.success(t('leads.claimed'));
                },
                onError: notify.error,
              });
            }}
          >
            {t('leads.claim')}
          </Button>
        ) : null}
        {canAssign && allowed('assign') ? (
          <Button
            data-testid="lead-assign"
            onClick={() => {
              setDialog({ kind: 'assign' });
            }}
          >
            {t('leads.assign')}
          </Button>
        ) : null}
        {canUpdate && works && allowed('convert') ? (
          <Button
            type="primary"
            data-testid="lead-convert"
            onClick={() => {
              setDialog({ kind: 'convert' });
            }}
          >
            {t('leads.convert.action')}
          </Button>
        ) : null}
        {canUpdate && works && lead.status !== 'voided' && lead.status !== 'converted' ? (
          <Button
            data-testid="lead-edit"
            onClick={() => {
              setDialog({ kind: 'edit' });
            }}
          >
            {t('common.edit')}
          </Button>
        ) : null}
        {canUpdate && works && allowed('return') ? reasonButton('return', t('leads.return')) : null}
        {canUpdate && works && allowed('invalidate')
          ? reasonButton('invalidate', t('leads.invalidate'))
          : null}
        {canUpdate && mayVoid && allowed('void')
          ? reasonButton('void', t('leads.void'), true)
          : null}
        {canRestore && allowed('restore') ? (
          <Button
            data-testid="lead-restore"
            onClick={() => {
              modal.confirm({
                title: t('leads.restoreConfirm', { name }),
                okText: t('leads.restore'),
                cancelText: t('common.cancel'),
                onOk: () =>
                  restore.mutateAsync(lead.id).then(() => {
                    notify.success(t('leads.restored'));
                  }, notify.error),
              });
            }}
          >
            {t('leads.restore')}
          </Button>
        ) : null}
        {canMerge && lead.status !== 'converted' ? (
          // A converted lead is the history of its customer: the customers are merged instead.
          <Button
            data-testid="lead-merge"
            onClick={() => {
              void navigate(`/leads/${encodeURIComponent(lead.id)}/merge`);
            }}
          >
            {t('leads.merge.action')}
          </Button>
        ) : null}
        {canDelete ? (
          <Button
            danger
            data-testid="lead-delete"
            onClick={() => {
              modal.confirm({
                title: t('leads.deleteConfirm', { name }),
                content: t('leads.deleteHint'),
                okText: t('common.delete'),
                okButtonProps: { danger: true },
                cancelText: t('common.cancel'),
                onOk: () =>
                  remove.mutateAsync(lead.id).then(() => {
                    notify.success(t('leads.deleted'));
                    void navigate('/leads', { replace: true });
                  }, notify.error),
              });
            }}
          >
            {t('common.delete')}
          </Button>
        ) : null}
      </Space>
      {dialog?.kind === 'reason' ? (
        <ReasonDialog
          leadId={lead.id}
          action={dialog.action}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'convert' ? (
        <ConvertDialog
          lead={lead}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <LeadFormDialog
          lead={lead}
          canAssign={false}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'assign' ? (
        <AssignDialog
          count={1}
          excludeOwnerId={lead.ownerId}
          pending={assign.isPending}
          onClose={() => {
            setDialog(null);
          }}
          onSubmit={(ownerId) => {
            assign.mutate(
              { id: lead.id, ownerId },
              {
                onSuccess: () => {
                  notify.success(t('leads.assigned'));
                  setDialog(null);
                },
                onError: notify.error,
              },
            );
          }}
        />
      ) : null}
    </>
  );
}
