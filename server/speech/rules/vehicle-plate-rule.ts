/**
 * Vehicle number plates ("29A-123.45", "30H1-234.56", "51F-12345"), read as people read them off a
 * plate: digits one by one, the series letter by name, a pause at the dash ("hai chín a, một hai
 * ba chấm bốn năm"). Notices about traffic accidents and lost vehicles quote them.
 */
import type { Rule, RuleMatch } from '../rule.js';
import { readDigits } from '../spoken-numbers.js';
import { matchAt } from '../text-context.js';
import { letterName } from '../vietnamese-letters.js';

const PLATE = /(\d{2})([A-Z]{1,2})(\d?)-(\d{3})\.?(\d{2})(?![\p{L}\p{M}\p{N}]|[.,]\d)/uy;

export function vehiclePlateRule(): Rule {
  return {
    name: 'vehicle-plate',
    startsOn: ['digit'],
    match(text, at): RuleMatch | null {
      const found = matchAt(PLATE, text, at);
      if (!found) return null;
      const [written, province = '', series = '', seriesDigit = '', first = '', last = ''] = found;
      const seriesWords = [...series].map(letterName).join(' ') + (seriesDigit ? ` ${readDigits(seriesDigit)}` : '');
      const dot = written.includes('.') ? ' chấm ' : ' ';
      return { length: written.length, spoken: `${readDigits(province)} ${seriesWords}, ${readDigits(first)}${dot}${readDigits(last)}` };
    },
  };
}
