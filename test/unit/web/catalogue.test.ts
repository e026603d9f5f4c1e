/**
 * The console's translation catalogue: both languages complete, with the same placeholders, and
 * no visible text in the pages that bypasses it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, FEATURES, translate } from '../../../server/web/src/i18n/catalogue.js';

const SOURCE = fileURLToPath(new URL('../../../server/web/src', import.meta.url));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.name.endsWith('.tsx')) yield full;
  }
}

describe('translation catalogue', () => {
  for (const [name, feature] of Object.entries(FEATURES)) {
    it(`${name}: the same keys and placeholders in Vietnamese and English, none left empty`, () => {
      expect(Object.keys(feature.en).sort()).toEqual(Object.keys(feature.vi).sort());
      for (const key of Object.keys(feature.vi) as (keyof typeof feature.vi)[]) {
        const vi = feature.vi[key] as string;
        const en = feature.en[key] as string;
        expect(vi.trim(), `${key} (vi)`).not.toBe('');
        expect(en.trim(), `${key} (en)`).not.toBe('');
        expect(vi, `${key} (vi)`).not.toMatch(/TODO/);
        expect(placeholders(en), key).toEqual(placeholders(vi));
      }
    });
  }

  it('keys are unique across features and prefixed with their feature', () => {
    const seen = new Map<string, string>();
    for (const [name, feature] of Object.entries(FEATURES)) {
      for (const key of Object.keys(feature.vi)) {
        expect(seen.get(key), `${key} defined in ${seen.get(key)} and ${name}`).toBeUndefined();
        seen.set(key, name);
      }
    }
    expect(Object.keys(CATALOGUE.vi)).toHaveLength(seen.size);
  });

  it('Vietnamese is written with its diacritics, not as bare ASCII', () => {
    const texts = Object.values(CATALOGUE.vi);
    const withDiacritics = texts.filter((text) => /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i.test(text));
    expect(withDiacritics.length / texts.length).toBeGreaterThan(0.7);
  });

  it('fills placeholders and leaves a missing one visible', () => {
    expect(translate('vi', 'areas.receivers', { count: 3 })).toBe('3 loa');
    expect(translate('en', 'areas.receivers', { count: 3 })).toBe('3 receivers');
    expect(translate('en', 'user.scope', { role: 'Operator' })).toBe('Operator · {area}');
  });

  it('pages and components show no text that bypasses the catalogue', () => {
    const offenders: string[] = [];
    const words = /[A-Za-zÀ-ỹ]{2,}/;
    for (const file of sourceFiles(SOURCE)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
      const where = (node: ts.Node) => `${path.relative(SOURCE, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      const visit = (node: ts.Node): void => {
        if (ts.isJsxText(node) && words.test(node.text)) offenders.push(`${where(node)} text "${node.text.trim()}"`);
        if (ts.isJsxAttribute(node) && READ_ALOUD_ATTRIBUTES.has(node.name.getText()) && node.initializer && ts.isStringLiteral(node.initializer) && words.test(node.initializer.text)) {
          offenders.push(`${where(node)} ${node.name.getText()}="${node.initializer.text}"`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
  });
});

/** Attributes a person reads or a screen reader speaks. */
const READ_ALOUD_ATTRIBUTES = new Set(['placeholder', 'title', 'aria-label', 'alt', 'label']);
