import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  ClusterOutlined,
  ContactsOutlined,
  DashboardOutlined,
  DeleteOutlined,
  FieldTimeOutlined,
  FunnelPlotOutlined,
  ImportOutlined,
  InboxOutlined,
  PhoneOutlined,
  ProjectOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@tide/contract';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from '../../lib/session.ts';

export type NavKey =
  | 'dashboard'
  | 'leadPool'
  | 'myLeads'
  | 'agenda'
  | 'verification'
  | 'customers'
  | 'opportunityBoard'
  | 'opportunities'
  | 'pools'
  | 'org'
  | 'roles'
  | 'audit'
  | 'recycleBin'
  | 'duplicateReport'
  | 'imports'
  | 'settings'
  | 'jobs'
  | 'account';
export type NavGroup = 'main' | 'sales' | 'dataQuality' | 'admin' | 'personal';

export interface NavItem {
  key: NavKey;
  path: string;
  group: NavGroup;
  label: string;
  icon: ReactNode;
}

interface NavDefinition {
  key: NavKey;
  path: string;
  group: NavGroup;
  icon: ReactNode;
  /** Without it (any one of them) the item is hidden (the route answers 403 too). */
  permission?: Permission | readonly Permission[];
}

const definitions: readonly NavDefinition[] = [
  { key: 'dashboard', path: '/', group: 'main', icon: <DashboardOutlined /> },
  {
    key: 'leadPool',
    path: '/leads/pool',
    group: 'sales',
    icon: <FunnelPlotOutlined />,
    permission: 'lead.view',
  },
  {
    key: 'myLeads',
    path: '/leads',
    group: 'sales',
    icon: <ContactsOutlined />,
    permission: 'lead.view',
  },
  {
    key: 'agenda',
    path: '/agenda',
    group: 'sales',
    icon: <ScheduleOutlined />,
    permission: 'followup.create',
  },
  {
    key: 'verification',
    path: '/verification',
    group: 'sales',
    icon: <PhoneOutlined />,
    permission: 'verification.work',
  },
  {
    key: 'customers',
    path: '/customers',
    group: 'sales',
    icon: <TeamOutlined />,
    permission: 'customer.view',
  },
  {
    key: 'opportunityBoard',
    path: '/opportunities/board',
    group: 'sales',
    icon: <ProjectOutlined />,
    permission: 'opportunity.view',
  },
  {
    key: 'opportunities',
    path: '/opportunities',
    group: 'sales',
    icon: <RiseOutlined />,
    permission: 'opportunity.view',
  },
  {
    key: 'duplicateReport',
    path: '/duplicates',
    group: 'dataQuality',
    icon: <ClusterOutlined />,
    permission: 'report.duplicates',
  },
  {
    key: 'imports',
    path: '/imports',
    group: 'dataQuality',
    icon: <ImportOutlined />,
    permission: 'lead.assign',
  },
  {
    key: 'pools',
    path: '/pools',
    group: 'admin',
    icon: <InboxOutlined />,
    permission: 'pool.rules.edit',
  },
  { key: 'org', path: '/org', group: 'admin', icon: <ApartmentOutlined />, permission: 'org.view' },
  {
    key: 'roles',
    path: '/roles',
    group: 'admin',
    icon: <SafetyCertificateOutlined />,
    permission: 'role.manage',
  },
  {
    key: 'audit',
    path: '/audit',
    group: 'admin',
    icon: <AuditOutlined />,
    permission: 'audit.view',
  },
  {
    key: 'recycleBin',
    path: '/recycle-bin',
    group: 'admin',
    icon: <DeleteOutlined />,
    permission: 'recycle.manage',
  },
  {
    key: 'settings',
    path: '/settings',
    group: 'admin',
    icon: <SettingOutlined />,
    permission: ['tenant.settings', 'report.duplicates'],
  },
  {
    key: 'jobs',
    path: '/jobs',
    group: 'admin',
    icon: <FieldTimeOutlined />,
    permission: 'tenant.settings',
  },
  { key: 'account', path: '/account', group: 'personal', icon: <UserOutlined /> },
];

/** The modules the signed-in user may open, in menu order. */
export function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { data: me } = useMeQuery();
  const granted = me?.permissions ?? [];
  const allowed = (permission: NavDefinition['permission']) =>
    permission === undefined ||
    (typeof permission === 'string' ? [permission] : permission).some((p) => granted.includes(p));
  return definitions
    .filter((d) => allowed(d.permission))
    .map((d) => ({
      key: d.key,
      path: d.path,
      group: d.group,
      icon: d.icon,
      label: t(`nav.${d.key}`),
    }));
}

/**
 * The menu entry a path belongs to: the longest entry path it starts with, so
 * `/org?node=…` selects "org", `/leads/pool` the pool and `/leads/<id>` my leads.
 */
export function navKeyForPath(pathname: string): NavKey | undefined {
  if (pathname === '/' || pathname === '') return 'dashboard';
  let best: NavDefinition | undefined;
  for (const d of definitions) {
    if (d.path === '/') continue;
    const matches = pathname === d.path || pathname.startsWith(`${d.path}/`);
    if (matches && (!best || d.path.length > best.path.length)) best = d;
  }
  return best?.key;
}
