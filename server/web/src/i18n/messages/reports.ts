import { defineMessages } from '../define.js';

export const reports = defineMessages({
  vi: {
    'reports.title': 'TODO',
  },
  en: {
    'reports.title': 'TODO',
  },
});
