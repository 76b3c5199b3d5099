import { lazy, Suspense } from 'react';
import { createBrowserRouter } from 'react-router';
import { Loading } from '../components/loading.tsx';
import { RequireAuth, RequirePermission } from './guards.tsx';
import { AppLayout } from './layout/app-layout.tsx';
import { DashboardPage } from './routes/dashboard.tsx';
import { NotFoundPage } from './routes/not-found.tsx';

// Pages are loaded on first visit so the first screen does not wait for all of them.
const LoginPage = lazy(() => import('./routes/login.tsx').then((m) => ({ default: m.LoginPage })));
const OrgPage = lazy(() => import('./routes/org.tsx').then((m) => ({ default: m.OrgPage })));
const RolesPage = lazy(() => import('./routes/roles.tsx').then((m) => ({ default: m.RolesPage })));
const AuditPage = lazy(() => import('./routes/audit.tsx').then((m) => ({ default: m.AuditPage })));
const AccountPage = lazy(() =>
  import('./routes/account.tsx').then((m) => ({ default: m.AccountPage })),
);
const LeadPoolPage = lazy(() =>
  import('./routes/leads/pool.tsx').then((m) => ({ default: m.LeadPoolPage })),
);
const MyLeadsPage = lazy(() =>
  import('./routes/leads/my-leads.tsx').then((m) => ({ default: m.MyLeadsPage })),
);
const LeadDetailPage = lazy(() =>
  import('./routes/leads/lead-detail.tsx').then((m) => ({ default: m.LeadDetailPage })),
);
const LeadMergePage = lazy(() =>
  import('./routes/leads/lead-merge.tsx').then((m) => ({ default: m.LeadMergePage })),
);
const DuplicateReportPage = lazy(() =>
  import('./routes/duplicate-report.tsx').then((m) => ({ default: m.DuplicateReportPage })),
);
const AgendaPage = lazy(() =>
  import('./routes/agenda.tsx').then((m) => ({ default: m.AgendaPage })),
);
const CustomersPage = lazy(() =>
  import('./routes/customers/customers.tsx').then((m) => ({ default: m.CustomersPage })),
);
const CustomerDetailPage = lazy(() =>
  import('./routes/customers/customer-detail.tsx').then((m) => ({
    default: m.CustomerDetailPage,
  })),
);
const CustomerMergePage = lazy(() =>
  import('./routes/customers/customer-merge.tsx').then((m) => ({
    default: m.CustomerMergePage,
  })),
);
const OpportunitiesPage = lazy(() =>
  import('./routes/opportunities/opportunities.tsx').then((m) => ({
    default: m.OpportunitiesPage,
  })),
);
const OpportunityBoardPage = lazy(() =>
  import('./routes/opportunities/board.tsx').then((m) => ({ default: m.OpportunityBoardPage })),
);
const OpportunityDetailPage = lazy(() =>
  import('./routes/opportunities/opportunity-detail.tsx').then((m) => ({
    default: m.OpportunityDetailPage,
  })),
);
const SettingsPage = lazy(() =>
  import('./routes/settings.tsx').then((m) => ({ default: m.SettingsPage })),
);
const RecycleBinPage = lazy(() =>
  import('./routes/recycle-bin.tsx').then((m) => ({ default: m.RecycleBinPage })),
);
const ImportsPage = lazy(() =>
  import('./routes/imports.tsx').then((m) => ({ default: m.ImportsPage })),
);

const NotificationsPage = lazy(() =>
  import('./routes/notifications.tsx').then((m) => ({ default: m.NotificationsPage })),
);
const JobsPage = lazy(() => import('./routes/jobs.tsx').then((m) => ({ default: m.JobsPage })));

const VerificationPage = lazy(() =>
  import('./routes/verification.tsx').then((m) => ({ default: m.VerificationPage })),
);

const PoolsPage = lazy(() => import('./routes/pools.tsx').then((m) => ({ default: m.PoolsPage })));

const settingsReaders = ['tenant.settings', 'report.duplicates'] as const;

export function createRouter() {
  return createBrowserRouter([
    {
      path: '/login',
      element: (
        <Suspense fallback={<Loading height="100vh" />}>
          <LoginPage />
        </Suspense>
      ),
    },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppLayout />
        </RequireAuth>
      ),
      children: [
        { index: true, element: <DashboardPage /> },
        {
          path: 'leads',
          element: (
            <RequirePermission permission="lead.view">
              <MyLeadsPage />
            </RequirePermission>
          ),
        },
        {
          path: 'leads/pool',
          element: (
            <RequirePermission permission="lead.view">
              <LeadPoolPage />
            </RequirePermission>
          ),
        },
        {
          path: 'leads/:id',
          element: (
            <RequirePermission permission="lead.view">
              <LeadDetailPage />
            </RequirePermission>
          ),
        },
        {
          path: 'leads/:id/merge',
          element: (
            <RequirePermission permission="lead.merge">
              <LeadMergePage />
            </RequirePermission>
          ),
        },
        {
          path: 'duplicates',
          element: (
            <RequirePermission permission="report.duplicates">
              <DuplicateReportPage />
            </RequirePermission>
          ),
        },
        {
          path: 'imports',
          element: (
            <RequirePermission permission="lead.assign">
              <ImportsPage />
            </RequirePermission>
          ),
        },
        {
          path: 'agenda',
          element: (
            <RequirePermission permission="followup.create">
              <AgendaPage />
            </RequirePermission>
          ),
        },
        {
          path: 'recycle-bin',
          element: (
            <RequirePermission permission="recycle.manage">
              <RecycleBinPage />
            </RequirePermission>
          ),
        },
        {
          path: 'customers',
          element: (
            <RequirePermission permission="customer.view">
              <CustomersPage />
            </RequirePermission>
          ),
        },
        {
          path: 'customers/:id',
          element: (
            <RequirePermission permission="customer.view">
              <CustomerDetailPage />
            </RequirePermission>
          ),
        },
        {
          path: 'customers/:id/merge',
          element: (
            <RequirePermission permission="customer.merge">
              <CustomerMergePage />
            </RequirePermission>
          ),
        },
        {
          path: 'opportunities',
          element: (
            <RequirePermission permission="opportunity.view">
              <OpportunitiesPage />
            </RequirePermission>
          ),
        },
        {
          path: 'opportunities/board',
          element: (
            <RequirePermission permission="opportunity.view">
              <OpportunityBoardPage />
            </RequirePermission>
          ),
        },
        {
          path: 'opportunities/:id',
          element: (
            <RequirePermission permission="opportunity.view">
              <OpportunityDetailPage />
            </RequirePermission>
          ),
        },
        {
          path: 'pools',
          element: (
            <RequirePermission permission="pool.rules.edit">
              <PoolsPage />
            </RequirePermission>
          ),
        },
        {
          path: 'verification',
          element: (
            <RequirePermission permission="verification.work">
              <VerificationPage />
            </RequirePermission>
          ),
        },
        {
          path: 'org',
          element: (
            <RequirePermission permission="org.view">
              <OrgPage />
            </RequirePermission>
          ),
        },
        {
          path: 'roles',
          element: (
            <RequirePermission permission="role.manage">
              <RolesPage />
            </RequirePermission>
          ),
        },
        {
          path: 'audit',
          element: (
            <RequirePermission permission="audit.view">
              <AuditPage />
            </RequirePermission>
          ),
        },
        {
          path: 'settings',
          element: (
            // Managers read the duplicate rules their reports follow; only admins change them.
            <RequirePermission permission={settingsReaders}>
              <SettingsPage />
            </RequirePermission>
          ),
        },
        {
          path: 'jobs',
          element: (
            <RequirePermission permission="tenant.settings">
              <JobsPage />
            </RequirePermission>
          ),
        },
        { path: 'notifications', element: <NotificationsPage /> },
        { path: 'account', element: <AccountPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
