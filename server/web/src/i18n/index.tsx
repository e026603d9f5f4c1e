/**
 * The language the console speaks: Vietnamese unless the user chose English (kept in this browser),
 * offered through context so a switch re-renders every page.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { translate, type MessageKey } from './catalogue.js';
import type { Locale } from './define.js';

export type { MessageKey } from './catalogue.js';
export type { Locale } from './define.js';

const STORAGE_KEY = 'console.locale';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

interface LocaleState {
  readonly locale: Locale;
  readonly setLocale: (locale: Locale) => void;
  readonly t: Translate;
}

function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

const LocaleContext = createContext<LocaleState>({ locale: 'vi', setLocale: () => undefined, t: (key, params) => translate('vi', key, params) });

export function LocaleProvider({ children }: { children: ComponentChildren }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private windows may refuse storage; the choice then lasts for this page only.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<LocaleState>(() => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

export function useT(): Translate {
  return useContext(LocaleContext).t;
}
