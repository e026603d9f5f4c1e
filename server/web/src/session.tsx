/**
 * Who is signed in, what they may do and the areas they see. Loaded once; a 401 from any call
 * (session ended elsewhere, expired) brings the sign-in page back.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, onSignedOut } from './api.js';
import type { AreaNode, User } from './types.js';

export interface SignedInUser extends User {
  readonly permissions: readonly string[];
}

export interface Session {
  readonly user: SignedInUser;
  /** The area tree the user sees (their own area at the top, or the whole network). */
  readonly areas: readonly AreaNode[];
  readonly may: (permission: string) => boolean;
  readonly reloadAreas: () => Promise<void>;
  readonly signOut: () => Promise<void>;
}

type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'signed-out'; readonly expired: boolean }
  | { readonly status: 'signed-in'; readonly session: Session };

interface SessionControl {
  readonly state: SessionState;
  readonly signIn: (username: string, password: string) => Promise<void>;
}

const SessionContext = createContext<SessionControl | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [areas, setAreas] = useState<readonly AreaNode[]>([]);
  const [status, setStatus] = useState<'loading' | 'signed-out' | 'signed-in'>('loading');
  const [expired, setExpired] = useState(false);

  const load = useCallback(async () => {
    try {
      const { user: me } = await api.get<{ user: SignedInUser | null }>('/api/auth/session');
      if (!me) {
        setUser(null);
        setStatus('signed-out');
        return;
      }
      setAreas(await api.get<AreaNode[]>('/api/areas'));
      setUser(me);
      setStatus('signed-in');
    } catch {
      setUser(null);
      setStatus('signed-out');
    }
  }, []);

  useEffect(() => {
    void load();
    return onSignedOut(() => {
      setExpired(true);
      setUser(null);
      setStatus('signed-out');
    });
  }, [load]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      await api.post('/api/auth/login', { username, password });
      setExpired(false);
      await load();
    },
    [load],
  );

  const signOut = useCallback(async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    setExpired(false);
    setUser(null);
    setStatus('signed-out');
  }, []);

  const reloadAreas = useCallback(async () => setAreas(await api.get<AreaNode[]>('/api/areas')), []);

  const state = useMemo<SessionState>(() => {
    if (status === 'signed-in' && user) {
      const granted = new Set(user.permissions);
      return { status, session: { user, areas, may: (permission) => granted.has(permission), reloadAreas, signOut } };
    }
    return status === 'loading' ? { status } : { status: 'signed-out', expired };
  }, [status, user, areas, expired, reloadAreas, signOut]);

  return <SessionContext.Provider value={{ state, signIn }}>{children}</SessionContext.Provider>;
}

export function useSessionControl(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('useSessionControl outside SessionProvider');
  return control;
}

/** The signed-in session; pages are only rendered when there is one. */
export function useSession(): Session {
  const { state } = useSessionControl();
  if (state.status !== 'signed-in') throw new Error('useSession while signed out');
  return state.session;
}
