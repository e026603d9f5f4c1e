/**
 * CAP 1.2 alerts through POST /api/cap on the real server: each valid alert gets its documented
 * outcome (broadcast, draft, recorded, updated, cancelled, duplicate) and each invalid one is
 * refused naming the problem, with no emergency made from it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { startTestServer, TEST_ADMIN, type TestServer } from '../../helpers/test-server.js';

const TAN_MINH_CODE = 'HB-DB-TM';
const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../fixtures/cap', name), 'utf8').replaceAll('{{CODE}}', TAN_MINH_CODE);

interface CapResult {
  id: string;
  outcome: string;
  reason: string;
  emergencyId: string | null;
  bulletinId: string | null;
  areaIds: string[];
  unmatchedAreas: string[];
  info: { language: string; vietnamese: boolean } | null;
  duplicate: boolean;
}

function alert(fields: { id: string; status?: string; msgType?: string; references?: string; area: string; severity?: string; language?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${fields.id}</identifier><sender>canhbao.hoabinh.gov.vn</sender><sent>2026-11-25T11:00:00+07:00</sent>
  <status>${fields.status ?? 'Actual'}</status><msgType>${fields.msgType ?? 'Alert'}</msgType><scope>Public</scope>
  ${fields.references ? `<references>${fields.references}</references>` : ''}
  <info><language>${fields.language ?? 'vi'}</language><category>Geo</category><event>Sạt lở đất</event>
    <urgency>Immediate</urgency><severity>${fields.severity ?? 'Extreme'}</severity><certainty>Observed</certainty>
    <headline>Cảnh báo sạt lở đất</headline><instruction>Bà con rời khỏi khu vực sườn đồi ngay</instruction>
    <area>${fields.area}</area>
  </info>
</alert>`;
}

describe('CAP alerts', () => {
  let server: TestServer;
  let api: ApiClient;
  let tanMinh: string;
  let dongRuong: string;
  let drillArea: string;

  const post = (xml: string, type = 'application/cap+xml') => api.postRaw<CapResult & { code?: string; details?: { field: string; message: string }[] }>('/api/cap', xml, { 'content-type': type });
  const emergencies = async () => (await api.get<{ id: string; state: string; capAlertId: string | null }[]>('/api/emergency')).body;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server.url);
    await api.login(TEST_ADMIN.username, TEST_ADMIN.password);
    const district = await api.post<{ id: string }>('/api/areas', { name: 'Huyện Đà Bắc', kind: 'district' });
    tanMinh = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Tân Minh', kind: 'commune', parentId: district.body.id, code: TAN_MINH_CODE })).body.id;
    dongRuong = (await api.post<{ id: string }>('/api/areas', { name: 'Xã Đồng Ruộng', kind: 'commune', parentId: district.body.id })).body.id;
    drillArea = (await api.post<{ id: string }>('/api/areas', { name: 'Điểm diễn tập', kind: 'commune', parentId: district.body.id })).body.id;
    expect((await api.patch(`/api/areas/${drillArea}`, { isTestArea: true })).status).toBe(200);
    for (const areaId of [tanMinh, dongRuong, drillArea]) expect((await api.post('/api/devices', { name: 'Loa', areaId })).status).toBe(201);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('broadcasts a severe Vietnamese flash-flood warning at once, matched by geocode, and answers a repeat without acting twice', async () => {
    const first = await post(fixture('hoa-binh-flash-flood.xml'));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ outcome: 'broadcast', areaIds: [tanMinh], info: { language: 'vi-VN', vietnamese: true }, duplicate: false });
    const board = await api.get<{ emergency: { hazard: string; capAlertId: string | null }; counts: { total: number } }>(`/api/emergency/${first.body.emergencyId}`);
    expect(board.body.emergency.hazard).toBe('flood');
    expect(board.body.counts.total).toBe(1);
    const bulletin = await api.get<{ text: string }>(`/api/bulletins/${first.body.bulletinId}`);
    expect(bulletin.body.text).toContain('Bà con ven suối di chuyển ngay lên chỗ cao');

    const again = await post(fixture('hoa-binh-flash-flood.xml'));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, outcome: 'broadcast', emergencyId: first.body.emergencyId, duplicate: true });
    expect((await emergencies()).filter((e) => e.id === first.body.emergencyId)).toHaveLength(1);
  });

  it('makes a draft bulletin of a moderate storm bulletin, matched by area name', async () => {
    const before = (await emergencies()).length;
    const result = await post(fixture('typhoon-bulletin.xml'));
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ outcome: 'draft', emergencyId: null, areaIds: [dongRuong] });
    expect(result.body.reason).toMatch(/below the broadcast policy/);
    expect((await api.get(`/api/bulletins/${result.body.bulletinId}`)).status).toBe(200);
    expect((await emergencies()).length).toBe(before);
  });

  it('plays Test and Exercise alerts only in test areas', async () => {
    const before = (await emergencies()).length;
    const test = await post(alert({ id: 'TEST-1', status: 'Test', area: `<areaDesc>Xã Tân Minh</areaDesc><geocode><valueName>ma</valueName><value>${TAN_MINH_CODE}</value></geocode>` }));
    expect(test.body).toMatchObject({ outcome: 'recorded', emergencyId: null });
    expect(test.body.reason).toMatch(/only in test areas/);
    const exercise = await post(alert({ id: 'EX-1', status: 'Exercise', area: '<areaDesc>Xã Tân Minh</areaDesc>' }));
    expect(exercise.body.outcome).toBe('recorded');
    expect((await emergencies()).length).toBe(before);

    const drill = await post(alert({ id: 'TEST-2', status: 'Test', area: '<areaDesc>Điểm diễn tập</areaDesc>' }));
    expect(drill.body).toMatchObject({ outcome: 'broadcast', areaIds: [drillArea] });
  });

  it('records Draft status and alerts for no area of ours, with the reason', async () => {
    const draft = await post(alert({ id: 'D-1', status: 'Draft', area: '<areaDesc>Xã Tân Minh</areaDesc>' }));
    expect(draft.body).toMatchObject({ outcome: 'recorded', reason: 'status Draft is recorded, never broadcast' });
    const elsewhere = await post(alert({ id: 'ELSE-1', area: '<areaDesc>Xã Mường Chiềng</areaDesc>' }));
    expect(elsewhere.body).toMatchObject({ outcome: 'recorded', unmatchedAreas: ['Xã Mường Chiềng'] });
  });

  it('updates and then cancels an earlier alert through its references', async () => {
    const original = await post(alert({ id: 'SL-1', area: '<areaDesc>Xã Đồng Ruộng</areaDesc>' }));
    expect(original.body.outcome).toBe('broadcast');
    const reference = 'canhbao.hoabinh.gov.vn,SL-1,2026-11-25T11:00:00+07:00';
    const update = await post(alert({ id: 'SL-2', msgType: 'Update', references: reference, area: '<areaDesc>Xã Đồng Ruộng</areaDesc>' }));
    expect(update.body.outcome).toBe('updated');
    expect(update.body.reason).toMatch(/supersedes/);
    const superseded = await api.get<{ emergency: { state: string; supersededById: string } }>(`/api/emergency/${original.body.emergencyId}`);
    expect(superseded.body.emergency).toMatchObject({ state: 'superseded', supersededById: update.body.emergencyId });

    const cancel = await post(alert({ id: 'SL-3', msgType: 'Cancel', references: 'canhbao.hoabinh.gov.vn,SL-2,2026-11-25T11:00:00+07:00', area: '<areaDesc>Xã Đồng Ruộng</areaDesc>' }));
    expect(cancel.body.outcome).toBe('cancelled');
    const stopped = await api.get<{ emergency: { state: string; endReason: string } }>(`/api/emergency/${update.body.emergencyId}`);
    expect(stopped.body.emergency).toMatchObject({ state: 'stopped', endReason: 'cancelled by CAP alert SL-3' });
  });

  it('refuses invalid and hostile documents, naming the problem, and makes no emergency of them', async () => {
    const before = (await emergencies()).length;
    const valid = alert({ id: 'BAD', area: '<areaDesc>Xã Tân Minh</areaDesc>' });
    const cases: [string, string, number, string, RegExp][] = [
      ['wrong namespace', valid.replace('cap:1.2', 'cap:1.1'), 400, 'alert', /namespace/],
      ['missing sender', valid.replace(/<sender>.*?<\/sender>/, ''), 400, 'alert.sender', /./],
      ['bad msgType', valid.replace('<msgType>Alert', '<msgType>Notice'), 400, 'alert.msgType', /must be one of/],
      ['bad scope', valid.replace('<scope>Public', '<scope>Everyone'), 400, 'alert.scope', /must be one of/],
      ['XXE', valid.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), 400, 'alert', /DOCTYPE/],
      ['billion laughs', valid.replace('<?xml version="1.0" encoding="UTF-8"?>', `<!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY a${i} "${'&a;'.repeat(10)}">`).join('')}]>`), 400, 'alert', /DOCTYPE/],
      ['not XML', '{"alert": true}', 400, 'alert', /not well-formed/],
    ];
    for (const [name, xml, status, field, message] of cases) {
      const response = await post(xml);
      expect(response.status, name).toBe(status);
      expect(response.body.code, name).toBe('INVALID_CAP');
      const detail = response.body.details!.find((d) => d.field === field);
      expect(detail?.message, name).toMatch(message);
    }
    const huge = await post(valid.replace('</alert>', `<note>${'x'.repeat(10 * 1024 * 1024)}</note></alert>`));
    expect(huge.status).toBe(413);
    const json = await api.post<{ statusCode: number }>('/api/cap', { alert: true });
    expect(json.status).toBe(415);
    expect((await emergencies()).length).toBe(before);
  });
});
