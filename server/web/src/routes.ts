/** The console's pages: the menu shows those whose permission the user holds. */
import type { FunctionComponent } from 'preact';
import type { MessageKey } from './i18n/index.js';
import { AccountPage } from './pages/account.js';
import { ApprovalsPage } from './pages/approvals.js';
import { ComposePage } from './pages/compose.js';
import { DashboardPage } from './pages/dashboard.js';
import { EmergencyPage } from './pages/emergency.js';
import { ReceiversPage } from './pages/receivers.js';
import { ReportsPage } from './pages/reports.js';
import { SchedulePage } from './pages/schedule.js';
import { UsersPage } from './pages/users.js';

export interface PageProps {
  /** The full hash path, query included: pages with sub-views (`/reports/broadcast/:id`) read it. */
  readonly path: string;
}

export interface PageRoute {
  /** The first path segment this page owns: `/reports` also serves `/reports/…`. */
  readonly base: string;
  readonly label: MessageKey;
  /** Null: every signed-in user. */
  readonly permission: string | null;
  readonly component: FunctionComponent<PageProps>;
  /** Shown apart from the menu, always within reach (the emergency button). */
  readonly prominent?: boolean;
  /** Not in the menu: reached another way (the account page, from the user badge). */
  readonly hidden?: boolean;
}

export const PAGES: readonly PageRoute[] = [
  { base: '/', label: 'nav.dashboard', permission: 'devices:read', component: DashboardPage },
  { base: '/compose', label: 'nav.compose', permission: 'bulletins:write', component: ComposePage },
  { base: '/schedule', label: 'nav.schedule', permission: 'broadcasts:read', component: SchedulePage },
  { base: '/approvals', label: 'nav.approvals', permission: 'broadcasts:write', component: ApprovalsPage },
  { base: '/reports', label: 'nav.reports', permission: 'broadcasts:read', component: ReportsPage },
  { base: '/receivers', label: 'nav.receivers', permission: 'devices:read', component: ReceiversPage },
  { base: '/users', label: 'nav.users', permission: 'users:manage', component: UsersPage },
  { base: '/account', label: 'nav.account', permission: null, component: AccountPage, hidden: true },
  { base: '/emergency', label: 'nav.emergency', permission: 'emergency:send', component: EmergencyPage, prominent: true },
];

export function pageFor(path: string): PageRoute | undefined {
  const [pathname = '/'] = path.split('?');
  const first = `/${pathname.split('/').filter(Boolean)[0] ?? ''}`;
  return PAGES.find((page) => page.base === first);
}
