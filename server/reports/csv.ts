/**
 * CSV for officials who open reports in Excel: RFC 4180 (comma, CRLF, quotes doubled inside
 * quoted fields), a UTF-8 byte-order mark so Excel reads Vietnamese diacritics as UTF-8, and cells
 * that would start a formula defused (OWASP "CSV Injection"): a receiver name like `=HYPERLINK(…)`
 * is written with a leading `'` so Excel shows it as text instead of evaluating it.
 */

export type CsvCell = string | number | null | undefined;

const BOM = '\uFEFF';
/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula; tab and CR as well (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The whole file: BOM, header row, one row per record, every line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/**
 * A `content-disposition` value offering `name` for download: an ASCII fallback and the exact
 * name in RFC 5987 encoding (RFC 6266 §4.3), since report names may carry Vietnamese letters.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
