import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { CabinetHome, DealerCard } from '../../api/types.js';
import { useApi } from '../../api/use-api.js';
import { AsyncView } from '../../components/async-view.js';
import { useFrameTitle } from '../../components/use-frame-title.js';
import { WidgetFrame } from '../../components/widget-frame.js';
import { useI18n } from '../../i18n/i18n.js';
import { CabinetContext, type CabinetContextValue, type CabinetScreen } from './cabinet-context.js';
import type { ActingAs, LegalEntityChoice } from './cabinet-types.js';
import { CabinetShell } from './shell/cabinet-shell.js';
import { CabinetShellContext, type CabinetShellValue } from './shell/cabinet-shell-context.js';
import { capabilitiesOf } from './shell/capabilities.js';
import { hashOf, navFromHash, type Nav } from './shell/screen-hash.js';
import { readMemory, writeMemory } from './shell/session-memory.js';

/**
 * The dealer cabinet: one frame with a header, a tab bar and one screen at a time. A dealer user works for their own
 * dealer (the session decides which); staff find a dealer and may act as one of its users.
 */
export function CabinetPage() {
  const { t } = useI18n();
  const state = useApi<CabinetHome>('/cabinet');
  useFrameTitle(t('cabinet.title'));
  return (
    <WidgetFrame>
      <AsyncView state={state}>
        {(home) => (
          <CabinetProvider home={home}>
            <CabinetShell />
          </CabinetProvider>
        )}
      </AsyncView>
    </WidgetFrame>
  );
}

/** Screen state, act-as state, legal entity and cart version for every cabinet screen (cabinet-context.tsx). */
export function CabinetProvider({ home, children }: { home: CabinetHome; children: ReactNode }) {
  const [nav, setNav] = useState<Nav>(() => navFromHash(window.location.hash) ?? { screen: 'home', params: {} });
  useEffect(() => {
    const follow = () => {
      const next = navFromHash(window.location.hash);
      if (next) setNav(next);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const [acting, setActing] = useState<ActingAs | null>(() => (home.kind === 'staff' ? readMemory<ActingAs>(`acting.${home.me.userId}`) : null));
  const [cartVersion, setCartVersion] = useState(0);
  const dealer = home.kind === 'dealer' ? home.dealer : (acting?.dealer ?? null);
  const card = useApi<DealerCard>(home.kind === 'staff' && acting ? `/dealers/${acting.dealer.itemId}` : null);

  const legalEntities = useMemo<LegalEntityChoice[]>(() => {
    if (home.kind === 'dealer') return home.legalEntities.flatMap((e) => (e.companyId ? [{ companyId: e.companyId, name: e.name, inn: e.inn, isMain: e.isMain }] : []));
    if (!acting || !card.data || card.data.dealer.itemId !== acting.dealer.itemId) return [];
    const allowed = acting.user.legalEntityIds;
    return card.data.legalEntities
      .filter((e) => allowed.length === 0 || allowed.includes(e.id))
      .flatMap((e) => (e.companyId ? [{ companyId: e.companyId, name: e.name, inn: e.inn, isMain: e.isMain }] : []));
  }, [home, acting, card.data]);

  const memoryKey = dealer ? `company.${dealer.itemId}` : null;
  const [companyChoice, setCompanyChoice] = useState<Record<string, number | null>>({});
  const remembered = memoryKey ? (memoryKey in companyChoice ? companyChoice[memoryKey]! : readMemory<number>(memoryKey)) : null;
  // A remembered legal entity the user may no longer buy for falls back to the main one (null).
  const companyId = remembered !== null && legalEntities.some((e) => e.companyId === remembered) ? remembered : null;

  const setCompanyId = useCallback(
    (id: number | null) => {
      if (!memoryKey) return;
      writeMemory(memoryKey, id);
      setCompanyChoice((c) => ({ ...c, [memoryKey]: id }));
    },
    [memoryKey],
  );
  const go = useCallback((screen: CabinetScreen, params: CabinetContextValue['params'] = {}) => {
    setNav({ screen, params });
    writeHash({ screen, params });
    window.scrollTo?.(0, 0);
  }, []);
  const cartChanged = useCallback(() => setCartVersion((v) => v + 1), []);
  const startActing = useCallback(
    (a: ActingAs) => {
      writeMemory(`acting.${home.me.userId}`, a);
      setActing(a);
      setCartVersion((v) => v + 1);
      setNav({ screen: 'home', params: {} });
      writeHash({ screen: 'home', params: {} });
    },
    [home.me.userId],
  );
  const stopActing = useCallback(() => {
    writeMemory(`acting.${home.me.userId}`, null);
    setActing(null);
    setCartVersion((v) => v + 1);
    setNav({ screen: 'home', params: {} });
    writeHash({ screen: 'home', params: {} });
  }, [home.me.userId]);

  const scope = useMemo<CabinetContextValue['scope']>(
    (): CabinetContextValue['scope'] => (acting ? { cart: { actAs: acting.user.b24UserId }, catalog: { dealerId: acting.dealer.id } } : { cart: {}, catalog: {} }),
    [acting],
  );
  const value = useMemo<CabinetContextValue>(
    () => ({ screen: nav.screen, params: nav.params, go, scope, companyId, setCompanyId, cartVersion, cartChanged }),
    [nav, go, scope, companyId, setCompanyId, cartVersion, cartChanged],
  );
  const shell = useMemo<CabinetShellValue>(
    () => ({ home, dealer, legalEntities, acting, startActing, stopActing, caps: capabilitiesOf(home, acting), ordersScope: acting ? { dealerId: acting.dealer.itemId } : ({} as Record<string, number>) }),
    [home, dealer, legalEntities, acting, startActing, stopActing],
  );
  return (
    <CabinetShellContext.Provider value={shell}>
      <CabinetContext.Provider value={value}>{children}</CabinetContext.Provider>
    </CabinetShellContext.Provider>
  );
}

/** Writes the screen into the frame's address without a history entry or a hashchange event. */
function writeHash(nav: Nav): void {
  try {
    window.history.replaceState(window.history.state, '', hashOf(nav));
  } catch {
    // A sandboxed frame may refuse; the screen still changes.
  }
}
