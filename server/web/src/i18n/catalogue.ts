/** Every string of the console, by feature; one import per feature file in messages/. */
import type { Locale } from './define.js';
import { approvals } from './messages/approvals.js';
import { common } from './messages/common.js';
import { compose } from './messages/compose.js';
import { dashboard } from './messages/dashboard.js';
import { emergency } from './messages/emergency.js';
import { login } from './messages/login.js';
import { receivers } from './messages/receivers.js';
import { reports } from './messages/reports.js';
import { schedule } from './messages/schedule.js';
import { users } from './messages/users.js';

export const FEATURES = { common, login, dashboard, compose, schedule, approvals, emergency, reports, receivers, users };

type Feature = (typeof FEATURES)[keyof typeof FEATURES];
export type MessageKey = Feature extends infer F ? (F extends { vi: Record<infer K, string> } ? K : never) : never;

function merge(locale: Locale): Readonly<Record<MessageKey, string>> {
  return Object.assign({}, ...Object.values(FEATURES).map((feature) => feature[locale])) as Record<MessageKey, string>;
}

export const CATALOGUE: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { vi: merge('vi'), en: merge('en') };

/** `{name}` placeholders replaced by the params; a missing param stays visible rather than vanishing. */
export function translate(locale: Locale, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const template = CATALOGUE[locale][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
