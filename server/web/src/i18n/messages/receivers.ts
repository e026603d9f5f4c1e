import { defineMessages } from '../define.js';

export const receivers = defineMessages({
  vi: {
    'receivers.title': 'TODO',
  },
  en: {
    'receivers.title': 'TODO',
  },
});
