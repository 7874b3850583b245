import type { JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, ScrollRestoration, useNavigate } from 'react-router-dom';
import { workNav } from '../pages/work/routes.tsx';
import { useSession } from '../session.tsx';
import { LanguageSwitch } from './language-switch.tsx';

/** The frame of every page: skip link, header with navigation, language switch and sign-in, the page, footer. */
export function Layout(): JSX.Element {
  const { t } = useTranslation('common');
  const { user, logout } = useSession();
  const navigate = useNavigate();
  const work = user ? workNav.filter((n) => n.roles.includes(user.role)) : [];

  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link to="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            <span className="brand-name">Vigil</span>
            <span className="brand-tagline">{t('tagline')}</span>
          </Link>
          <div className="header-tools">
            <LanguageSwitch />
            {user ? (
              <div className="user-box">
                <span className="user-name">
                  {user.displayName || user.username}
                  <span className="muted"> · {t(`roles.${user.role}`)}</span>
                </span>
                <button type="button" className="link-button" onClick={() => void logout().then(() => navigate('/'))}>
                  {t('signOut')}
                </button>
              </div>
            ) : (
              <Link to="/login" className="sign-in-link">
                {t('signIn')}
              </Link>
            )}
          </div>
        </div>
        <nav className="main-nav" aria-label={t('nav.label')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.overview')}
              </NavLink>
            </li>
            <li>
              <NavLink to="/facilities">{t('nav.facilities')}</NavLink>
            </li>
            <li>
              <NavLink to="/statements">{t('nav.statements')}</NavLink>
            </li>
          </ul>
          {work.length > 0 ? (
            <ul className="work-nav" aria-label={t('nav.work')}>
              {work.map((n) => (
                <li key={n.path}>
                  <NavLink to={n.path}>{t(n.labelKey)}</NavLink>
                </li>
              ))}
            </ul>
          ) : null}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ScrollRestoration />
      <footer className="site-footer">
        <p>{t('footer.counts')}</p>
        <p>
          <a href="/api/v1/public/export">{t('footer.export')}</a>
          {' · '}
          <a href="/api/docs">{t('footer.api')}</a>
        </p>
      </footer>
    </>
  );
}
