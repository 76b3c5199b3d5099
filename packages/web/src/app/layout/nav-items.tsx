import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  DashboardOutlined,
  FunnelPlotOutlined,
  RiseOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@tide/contract';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from '../../lib/session.ts';

export type NavKey =
  'dashboard' | 'leads' | 'customers' | 'opportunities' | 'org' | 'roles' | 'audit' | 'account';
export type NavGroup = 'main' | 'sales' | 'admin' | 'personal';

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
  /** Without it the item is hidden (the route answers 403 too). */
  permission?: Permission;
}

const definitions: readonly NavDefinition[] = [
  { key: 'dashboard', path: '/', group: 'main', icon: <DashboardOutlined /> },
  {
    key: 'leads',
    path: '/leads',
    group: 'sales',
    icon: <FunnelPlotOutlined />,
    permission: 'lead.view',
  },
  {
    key: 'customers',
    path: '/customers',
    group: 'sales',
    icon: <TeamOutlined />,
    permission: 'customer.view',
  },
  {
    key: 'opportunities',
    path: '/opportunities',
    group: 'sales',
    icon: <RiseOutlined />,
    permission: 'opportunity.view',
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
  { key: 'account', path: '/account', group: 'personal', icon: <UserOutlined /> },
];

/** The modules the signed-in user may open, in menu order. */
export function useNavItems(): NavItem[] {
  const { t } = useTranslation();
  const { data: me } = useMeQuery();
  const granted = me?.permissions ?? [];
  return definitions
    .filter((d) => d.permission === undefined || granted.includes(d.permission))
    .map((d) => ({
      key: d.key,
      path: d.path,
      group: d.group,
      icon: d.icon,
      label: t(`nav.${d.key}`),
    }));
}

/** The menu entry a path belongs to: `/org?node=…` and `/org/anything` select "org". */
export function navKeyForPath(pathname: string): NavKey | undefined {
  const first = pathname.split('/')[1] ?? '';
  if (first === '') return 'dashboard';
  return definitions.find((d) => d.path === `/${first}`)?.key;
}
