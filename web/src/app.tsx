import { lazy, Suspense, type JSX, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link, Navigate, Outlet, RouterProvider, useRouteError } from 'react-router-dom';
import { Layout } from './components/layout.tsx';
import { Loading, useTitle } from './components/status.tsx';
import { HomePage } from './pages/public/home.tsx';
import { workNav, workRoutes } from './pages/work/routes.tsx';
import { RequireRole, SessionProvider, useSession } from './session.tsx';

// The home page is the first screen and ships with the entry; every other page is its own chunk.
const FacilitiesPage = lazy(() => import('./pages/public/facilities.tsx'));
const FacilityPage = lazy(() => import('./pages/public/facility.tsx'));
const StatementsPage = lazy(() => import('./pages/public/statements.tsx'));
const StatementPage = lazy(() => import('./pages/public/statement.tsx'));
const LoginPage = lazy(() => import('./pages/login.tsx'));

function page(node: ReactNode): ReactNode {
  return <Suspense fallback={<Loading />}>{node}</Suspense>;
}

/** /work: the first work page this role may open. */
function WorkHome(): JSX.Element {
  const { user } = useSession();
  const first = workNav.find((n) => user && n.roles.includes(user.role));
  return <Navigate to={first?.path ?? '/'} replace />;
}

function NotFound(): JSX.Element {
  const { t } = useTranslation('common');
  useTitle(t('notFound.title'));
  return (
    <section className="page narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </section>
  );
}

function RouteError(): JSX.Element {
  const { t } = useTranslation('common');
  const err = useRouteError();
  return (
    <main id="main" className="page narrow">
      <h1>{t('error.title')}</h1>
      <p role="alert">{err instanceof Error ? err.message : t('error.generic')}</p>
      <p>
        <a href="/">{t('notFound.home')}</a>
      </p>
    </main>
  );
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'facilities', element: page(<FacilitiesPage />) },
      { path: 'facilities/:id', element: page(<FacilityPage />) },
      { path: 'statements', element: page(<StatementsPage />) },
      { path: 'statements/:id', element: page(<StatementPage />) },
      { path: 'login', element: page(<LoginPage />) },
      {
        path: 'work',
        element: (
          <RequireRole>
            <Outlet />
          </RequireRole>
        ),
        children: [{ index: true, element: <WorkHome /> }, ...workRoutes],
      },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

/** The whole app: session, router, pages. */
export function App(): JSX.Element {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
