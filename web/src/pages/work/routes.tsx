import { lazy, Suspense, type ReactNode } from 'react';
import type { RouteObject } from 'react-router-dom';
import { RequireRole } from '../../session.tsx';

// Each work page is its own chunk so the public first screen never downloads them.
const IntakePage = lazy(() => import('./intake/intake-page.tsx'));
const AllegationListPage = lazy(() => import('./allegation/allegation-list-page.tsx'));
const AllegationPage = lazy(() => import('./allegation/allegation-page.tsx'));
const ProceedingsBoardPage = lazy(() => import('./proceedings/proceedings-board-page.tsx'));
const ProceedingPage = lazy(() => import('./proceedings/proceeding-page.tsx'));
const VisitsPage = lazy(() => import('./visits/visits-page.tsx'));
const StatementsPage = lazy(() => import('./statements/statements-page.tsx'));
const SearchPage = lazy(() => import('./search/search-page.tsx'));
const AdminPage = lazy(() => import('./admin/admin-page.tsx'));
const SecurityPage = lazy(() => import('./account/security-page.tsx'));

const RECORDERS = ['documenter', 'analyst', 'monitor'];

// The shell already asks for a signed-in user; pages that only some roles may use say which.
function page(node: ReactNode, roles?: string[]): ReactNode {
  const body = (
    <Suspense
      fallback={
        <p role="status" aria-live="polite">
          …
        </p>
      }
    >
      {node}
    </Suspense>
  );
  return roles ? <RequireRole roles={roles}>{body}</RequireRole> : body;
}

/** Routes of the signed-in work area, mounted by the app shell under its signed-in layout. */
export const workRoutes: RouteObject[] = [
  { path: '/work/intake', element: page(<IntakePage />, RECORDERS) },
  { path: '/work/allegations', element: page(<AllegationListPage />) },
  { path: '/work/allegations/:id', element: page(<AllegationPage />) },
  { path: '/work/proceedings', element: page(<ProceedingsBoardPage />) },
  { path: '/work/proceedings/:id', element: page(<ProceedingPage />) },
  { path: '/work/visits', element: page(<VisitsPage />) },
  { path: '/work/statements', element: page(<StatementsPage />) },
  { path: '/work/search', element: page(<SearchPage />) },
  { path: '/work/admin', element: page(<AdminPage />) },
  { path: '/work/account/security', element: page(<SecurityPage />) },
];

const everyone = ['admin', 'analyst', 'documenter', 'monitor', 'viewer'];

/** Navigation entries of the work area; the shell shows those whose roles include the user's. */
export const workNav: { path: string; labelKey: string; roles: string[] }[] = [
  { path: '/work/intake', labelKey: 'intake:nav', roles: RECORDERS },
  { path: '/work/allegations', labelKey: 'allegation:nav', roles: everyone },
  { path: '/work/proceedings', labelKey: 'proceedings:nav', roles: everyone },
  { path: '/work/visits', labelKey: 'visits:nav', roles: everyone },
  { path: '/work/statements', labelKey: 'statements:nav', roles: everyone },
  { path: '/work/search', labelKey: 'search:nav', roles: everyone },
  { path: '/work/admin', labelKey: 'admin:nav', roles: ['admin'] },
  { path: '/work/account/security', labelKey: 'account:nav', roles: everyone },
];
