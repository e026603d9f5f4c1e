import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { areaMatchers, CAP_MAX_BYTES, chooseInfo, decideCapAction, DEFAULT_CAP_POLICY, hazardOf, normaliseAreaName, parseCapAlert } from '../../../server/cap/index.js';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../fixtures/cap', name), 'utf8').replaceAll('{{CODE}}', 'HB-DB-TM');

/** A minimal valid alert whose parts a test can replace. */
function capXml(overrides: { root?: string; head?: string; info?: string; namespace?: string } = {}): string {
  const head =
    overrides.head ??
    '<identifier>T-1</identifier><sender>warn.example.vn</sender><sent>2026-11-25T10:00:00+07:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>';
  const info =
    overrides.info ??
    '<info><language>vi-VN</language><category>Geo</category><event>Sạt lở đất</event><urgency>Immediate</urgency><severity>Extreme</severity><certainty>Observed</certainty><headline>Sạt lở</headline><area><areaDesc>Xã Tân Minh</areaDesc></area></info>';
  const root = overrides.root ?? 'alert';
  return `<?xml version="1.0"?><${root} xmlns="${overrides.namespace ?? 'urn:oasis:names:tc:emergency:cap:1.2'}">${head}${info}</${root}>`;
}

const errorsOf = (xml: string) => {
  const result = parseCapAlert(xml);
  if (result.ok) throw new Error('expected the alert to be refused');
  return result.errors;
};

describe('parseCapAlert', () => {
  it('reads a two-language flash-flood warning and prefers its Vietnamese block', () => {
    const result = parseCapAlert(fixture('hoa-binh-flash-flood.xml'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.alert).toMatchObject({ identifier: 'KTTV-HB-2026-1125-001', status: 'Actual', msgType: 'Alert', scope: 'Public', references: [] });
    const chosen = chooseInfo(result.alert)!;
    expect(chosen).toMatchObject({ index: 1, vietnamese: true });
    expect(areaMatchers(chosen.info)).toEqual([{ areaDesc: 'Xã Tân Minh', geocodes: ['HB-DB-TM'] }]);
    expect(hazardOf(chosen.info)).toBe('flood');
    const decision = decideCapAction(chosen.info, DEFAULT_CAP_POLICY);
    expect(decision.action).toBe('broadcast');
    expect(decision.text).toBe(
      'Cảnh báo lũ quét tại huyện Đà Bắc. Mưa lớn trên 150 mm trong 6 giờ qua; nguy cơ lũ quét trên các suối nhỏ trong 3 giờ tới. Bà con ven suối di chuyển ngay lên chỗ cao, không qua ngầm tràn.',
    );
  });

  it('reads a prefixed document, and a moderate storm bulletin becomes a draft', () => {
    const result = parseCapAlert(fixture('typhoon-bulletin.xml'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { info } = chooseInfo(result.alert)!;
    expect(hazardOf(info)).toBe('storm');
    expect(decideCapAction(info, DEFAULT_CAP_POLICY)).toMatchObject({ action: 'draft', reason: expect.stringMatching(/^Moderate\/Future\/Possible is below/) });
  });

  it('falls back to the first info block when none is in Vietnamese', () => {
    const result = parseCapAlert(capXml({ info: capXml().match(/<info>.*<\/info>/)![0].replace('vi-VN', 'en-US') }));
    expect(result.ok && chooseInfo(result.alert)).toMatchObject({ index: 0, vietnamese: false });
  });

  it.each([
    ['a wrong namespace', capXml({ namespace: 'urn:oasis:names:tc:emergency:cap:1.1' }), 'alert', /namespace must be urn:oasis:names:tc:emergency:cap:1\.2/],
    ['another root element', capXml({ root: 'warning' }), 'warning', /root element must be a CAP <alert>/],
    ['a missing identifier', capXml({ head: '<sender>s</sender><sent>2026-11-25T10:00:00+07:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>' }), 'alert.identifier', /./],
    ['a bad status', capXml({ head: capXml().match(/<identifier>.*<\/scope>/)![0].replace('Actual', 'Real') }), 'alert.status', /must be one of Actual, Exercise, System, Test, Draft/],
    ['a bad urgency', capXml({ info: capXml().match(/<info>.*<\/info>/)![0].replace('Immediate', 'Now') }), 'alert.info[0].urgency', /must be one of Immediate/],
    ['a bad severity', capXml({ info: capXml().match(/<info>.*<\/info>/)![0].replace('Extreme', 'Huge') }), 'alert.info[0].severity', /must be one of Extreme/],
    ['a bad certainty', capXml({ info: capXml().match(/<info>.*<\/info>/)![0].replace('Observed', 'Sure') }), 'alert.info[0].certainty', /must be one of Observed/],
    ['a bad category', capXml({ info: capXml().match(/<info>.*<\/info>/)![0].replace('<category>Geo', '<category>Weather') }), 'alert.info[0].category[0]', /must be one of Geo/],
    ['a date without a zone', capXml({ head: capXml().match(/<identifier>.*<\/scope>/)![0].replace('+07:00', '') }), 'alert.sent', /time zone offset/],
    ['a date in Z', capXml({ head: capXml().match(/<identifier>.*<\/scope>/)![0].replace('+07:00', 'Z') }), 'alert.sent', /"Z" is not allowed/],
    ['an identifier with a space', capXml({ head: capXml().match(/<identifier>.*<\/scope>/)![0].replace('T-1', 'T 1') }), 'alert.identifier', /spaces, commas/],
    ['an Update without references', capXml({ head: capXml().match(/<identifier>.*<\/scope>/)![0].replace('Alert', 'Update') }), 'alert.references', /required for msgType Update/],
    ['a malformed reference', capXml({ head: `${capXml().match(/<identifier>.*<\/scope>/)![0].replace('Alert', 'Cancel')}<references>just-an-id</references>` }), 'alert.references', /not a sender,identifier,sent triple/],
    ['malformed XML', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</alert>', 'alert', /not well-formed XML/],
  ])('refuses %s, naming the element', (_name, xml, element, message) => {
    const errors = errorsOf(xml);
    expect(errors.map((e) => e.path)).toContain(element);
    expect(errors.find((e) => e.path === element)!.message).toMatch(message);
  });

  it('refuses an external entity (XXE) before parsing: nothing is read from disk', () => {
    const xml = capXml().replace('<?xml version="1.0"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>').replace('Sạt lở</headline>', '&xxe;</headline>');
    expect(errorsOf(xml)).toEqual([{ path: 'alert', message: expect.stringMatching(/DOCTYPE and ENTITY declarations are not allowed/) }]);
  });

  it('refuses an entity-expansion bomb (billion laughs) at once', () => {
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const xml = capXml().replace('<?xml version="1.0"?>', `<?xml version="1.0"?><!DOCTYPE alert [${entities}]>`).replace('Sạt lở</headline>', '&lol9;</headline>');
    expect(errorsOf(xml)).toEqual([{ path: 'alert', message: expect.stringMatching(/DOCTYPE and ENTITY declarations are not allowed/) }]);
  });

  it('refuses a document over the size limit without parsing it', () => {
    const huge = capXml({ info: `<info>${'<parameter><valueName>x</valueName><value>y</value></parameter>'.repeat(CAP_MAX_BYTES / 40)}</info>` });
    expect(errorsOf(huge)).toEqual([{ path: 'alert', message: expect.stringMatching(/over the limit of 262144/) }]);
  });
});

describe('normaliseAreaName', () => {
  it('compares names in composed and decomposed Unicode, any case and spacing, as equal', () => {
    expect(normaliseAreaName('  XÃ   Tân Minh ')).toBe(normaliseAreaName('xã tân minh'.normalize('NFD')));
    expect(normaliseAreaName('Xã Tân Minh')).not.toBe(normaliseAreaName('Xã Tân Mai'));
  });
});
