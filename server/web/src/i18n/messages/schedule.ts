import { defineMessages } from '../define.js';

export const schedule = defineMessages({
  vi: {
    'schedule.title': 'TODO',
  },
  en: {
    'schedule.title': 'TODO',
  },
});
