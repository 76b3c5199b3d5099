import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead, LeadStatus } from '@tide/contract';

const statusColors: Record<LeadStatus, string> = {
  unassigned: 'default',
  pending: 'gold',
  following: 'processing',
  invalid: 'orange',
  converted: 'success',
  voided: 'error',
};

export function LeadStatusTag({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="lead-status">
      {t(`leads.statuses.${status}`)}
    </Tag>
  );
}

export type LeadAction =
  'claim' | 'followUp' | 'return' | 'invalidate' | 'void' | 'restore' | 'assign' | 'convert';

/**
 * The transitions of SPEC §2, so the detail page offers only what the server would
 * accept. The server still decides; this only hides buttons that could never work.
 */
const allowedFrom: Record<LeadAction, readonly LeadStatus[]> = {
  claim: ['unassigned'],
  followUp: ['pending', 'following', 'invalid'],
  return: ['pending', 'following', 'invalid'],
  invalidate: ['pending', 'following'],
  void: ['unassigned', 'pending', 'following', 'invalid'],
  restore: ['voided'],
  assign: ['unassigned', 'pending', 'following', 'invalid'],
  convert: ['pending', 'following', 'invalid'],
};

export function isActionAllowed(action: LeadAction, status: LeadStatus): boolean {
  return allowedFrom[action].includes(status);
}

/** What to call a lead in a title or a confirmation: its company, else its contact or phone. */
export function leadName(lead: Pick<Lead, 'company' | 'contactName' | 'phone'>): string | null {
  return lead.company ?? lead.contactName ?? lead.phone;
}

/**
 * Only the owner works a lead; a manager or admin (who may also assign) may act for
 * them. The server enforces it; the UI hides buttons that would only be refused.
 */
export function mayWork(lead: Pick<Lead, 'ownerId'>, userId: string, canAssign: boolean): boolean {
  return lead.ownerId === userId || canAssign;
}
