import { defineMessages } from '../define.js';

export const approvals = defineMessages({
  vi: {
    'approvals.title': 'TODO',
  },
  en: {
    'approvals.title': 'TODO',
  },
});
