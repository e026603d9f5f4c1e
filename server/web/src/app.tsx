/** The console's frame: sign-in when signed out, otherwise the header, the menu and the page of the route. */
import { useEffect, useState } from 'preact/hooks';
import { LocaleProvider, useLocale, useT } from './i18n/index.js';
import { findArea } from './lib/area-tree.js';
import { LoginPage } from './pages/login.js';
import { PAGES, pageFor, type PageRoute } from './routes.js';
import { useRoute } from './router.js';
import { SessionProvider, useSession, useSessionControl } from './session.js';

export function App() {
  return (
    <LocaleProvider>
      <SessionProvider>
        <Root />
      </SessionProvider>
    </LocaleProvider>
  );
}

function Root() {
  const { state } = useSessionControl();
  const t = useT();
  if (state.status === 'loading') return <p class="page-loading">{t('app.loading')}</p>;
  if (state.status === 'signed-out') return <LoginPage expired={state.expired} />;
  return <Shell />;
}

function Shell() {
  const t = useT();
  const path = useRoute();
  const session = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const page = pageFor(path);
  const mayOpen = (route: PageRoute) => route.permission === null || session.may(route.permission);
  const allowed = page && mayOpen(page);
  const menu = PAGES.filter((p) => !p.prominent && !p.hidden && mayOpen(p));
  const emergency = PAGES.find((p) => p.prominent && mayOpen(p));
  useEffect(() => {
    document.title = page ? `${t(page.label)} · ${t('app.name')}` : t('app.name');
  }, [page, t]);
  const Page = allowed ? page.component : undefined;
  return (
    <div class="shell">
      <header class="topbar">
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="main-menu" onClick={() => setMenuOpen(!menuOpen)}>
          <span aria-hidden="true">☰</span>
          <span class="visually-hidden">{t('nav.menu')}</span>
        </button>
        <a class="brand" href="#/">
          {t('app.name')}
        </a>
        {emergency && (
          <a class="emergency-button" href={`#${emergency.base}`} data-testid="emergency-button">
            {t(emergency.label)}
          </a>
        )}
        <UserBadge />
      </header>
      <nav id="main-menu" class={menuOpen ? 'menu open' : 'menu'} aria-label={t('nav.menu')}>
        {menu.map((p) => (
          <a key={p.base} href={`#${p.base}`} class={page?.base === p.base ? 'active' : undefined} aria-current={page?.base === p.base ? 'page' : undefined}>
            {t(p.label)}
          </a>
        ))}
        <div class="menu-footer">
          <UserBadge compact />
          <LanguageSwitch />
          <button type="button" class="link-button" data-testid="sign-out" onClick={() => void session.signOut()}>
            {t('nav.signOut')}
          </button>
        </div>
      </nav>
      <main class="content">{Page ? <Page path={path} /> : <p>{t('app.notFound')}</p>}</main>
    </div>
  );
}

/**
 * Who is signed in, with role and area: in the header, and in the menu on phones where the header
 * has no room. It opens the account page (one's own password).
 */
function UserBadge({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const { user, areas } = useSession();
  const area = user.areaId ? (findArea(areas, user.areaId)?.name ?? '…') : t('user.allAreas');
  return (
    <a href="#/account" class={compact ? 'user-badge menu-user' : 'user-badge'} data-testid={compact ? undefined : 'user-badge'} title={t('nav.account')}>
      <strong>{user.username}</strong>
      <span class="muted small">{t('user.scope', { role: t(`role.${user.role}` as const), area })}</span>
    </a>
  );
}

export function LanguageSwitch() {
  const { locale, setLocale, t } = useLocale();
  return (
    <button type="button" class="link-button" data-testid="language-switch" lang={locale === 'vi' ? 'en' : 'vi'} onClick={() => setLocale(locale === 'vi' ? 'en' : 'vi')}>
      {t('nav.switchTo')}
    </button>
  );
}
