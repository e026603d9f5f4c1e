/**
 * Document numbers: "Nghị định 49/2024/NĐ-CP" → "Nghị định số bốn mươi chín năm hai nghìn không
 * trăm hai mươi tư của chính phủ"; "1234/QĐ-UBND" → "số một nghìn hai trăm ba mươi tư quyết định
 * của ủy ban nhân dân"; "15-NQ/TW", "31/2024/QH15". The kind of document is not repeated when the
 * sentence already names it, and the issuer is said with "của", as an official would read it.
 */
import { DOCUMENT_TYPE_CODES, DOCUMENT_TYPE_WORDS, ISSUER_CODES, NUMBERED_ISSUER_WORD } from '../legal-codes.js';
import type { NumberDialect } from '../normalizer-types.js';
import type { Rule, RuleFlag, RuleMatch } from '../rule.js';
import { readCardinal } from '../spoken-numbers.js';
import { followedBy, matchAt } from '../text-context.js';
import { WordsBefore } from '../words-before.js';

const CODE = String.raw`\p{Lu}[\p{L}&]*\d*`;
const REFERENCE = new RegExp(String.raw`(\d{1,6})(?:/(\d{4}))?[/-](${CODE}(?:[-/]${CODE})*)(?![\p{L}\p{M}\p{N}])`, 'uy');
const DOCUMENT_BEFORE = new WordsBefore(DOCUMENT_TYPE_WORDS, { connectors: ['số'], colon: true });
const NUMBER_WORD_BEFORE = new WordsBefore(['số'], { colon: true });
/** "49/2024/NĐ-CP ngày 22/4/2024 của Chính phủ": the sentence names the issuer, so the code's is not said too. */
const ISSUER_NAMED_AFTER = /^(?:[ \t]+ngày[ \t]+\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})?[ \t,]+của(?![\p{L}\p{M}])/iu;

export function legalReferenceRule(dialect: NumberDialect, abbreviations: ReadonlyMap<string, string>): Rule {
  const issuer = (letters: string) => ISSUER_CODES.get(letters) ?? abbreviations.get(letters);
  return {
    name: 'legal-reference',
    startsOn: ['digit'],
    match(text, at): RuleMatch | null {
      const found = matchAt(REFERENCE, text, at);
      if (!found) return null;
      const [written, number = '', year, code = ''] = found;
      const segments = code.split(/[-/]/);
      // "88/XYZ-UBND" is still a document number when a later part is known; "12/ABC" is not.
      const known = segments.filter((segment) => {
        const { letters } = splitCode(segment);
        return DOCUMENT_TYPE_CODES.has(letters) || issuer(letters) !== undefined;
      });
      if (known.length === 0) return null;

      const document = DOCUMENT_BEFORE.find(text, at);
      const documentWord = document?.phrase;
      const saysNumber = document ? document.connectors.length > 0 : NUMBER_WORD_BEFORE.test(text, at);
      const flags: RuleFlag[] = [];
      let typeSeen = false;
      let type = '';
      const issuers: string[] = [];
      let offset = written.length - code.length;
      for (const segment of segments) {
        const { letters, digits } = splitCode(segment);
        const typeWord = digits === '' && issuers.length === 0 && !typeSeen ? DOCUMENT_TYPE_CODES.get(letters) : undefined;
        const issuerWord = issuer(letters);
        if (typeWord !== undefined) {
          typeSeen = true;
          if (typeWord !== documentWord) type = typeWord;
        } else if (issuerWord !== undefined) {
          const ordinalWord = NUMBERED_ISSUER_WORD.get(letters);
          const numbered = digits === '' ? '' : ` ${ordinalWord ? `${ordinalWord} ` : ''}${readCardinal(digits, dialect)}`;
          issuers.push(issuerWord + numbered);
        } else {
          // Unknown code: its letters kept for the engine to try, and shown to the official.
          issuers.push(letters + (digits === '' ? '' : ` ${readCardinal(digits, dialect)}`));
          flags.push({ offset, length: segment.length, code: 'unknown-code', reason: `"${segment}" is not a known document code; add it to the dictionary` });
        }
        offset += segment.length + 1;
      }
      const parts = [saysNumber ? '' : 'số ', readCardinal(number, dialect)];
      if (year) parts.push(` năm ${readCardinal(year, dialect)}`);
      if (type) parts.push(` ${type}`);
      const issuerNamedAfter = flags.length === 0 && followedBy(text, at + written.length, ISSUER_NAMED_AFTER);
      if (issuers.length > 0 && !issuerNamedAfter) parts.push(` của ${issuers.join(' ')}`);
      return { length: written.length, spoken: parts.join(''), rule: 'legal-reference', flags };
    },
  };
}

function splitCode(segment: string): { letters: string; digits: string } {
  const digits = /\d*$/.exec(segment)?.[0] ?? '';
  return { letters: segment.slice(0, segment.length - digits.length), digits };
}
