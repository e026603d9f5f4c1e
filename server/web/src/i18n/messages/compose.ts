import { defineMessages } from '../define.js';

export const compose = defineMessages({
  vi: {
    'compose.title': 'TODO',
  },
  en: {
    'compose.title': 'TODO',
  },
});
