import { describe, expect, it } from 'vitest';
import type { AreaRecord } from '../../../server/areas/area-service.js';
import { splitByCommune } from '../../../server/broadcasts/hierarchy.js';

const area = (id: string, kind: AreaRecord['kind'], parentId: string | null): AreaRecord => ({
  id,
  name: id,
  kind,
  code: null,
  parentId,
  quietHours: null,
  operatorsMaySendEmergency: false,
  emergencyVolume: null,
  isTestArea: false,
  defaultVoice: null,
  defaultSpeakingRate: null,
  defaultPitch: null,
});

const TREE = [
  area('P', 'province', null),
  area('D1', 'district', 'P'),
  area('D2', 'district', 'P'),
  area('A', 'commune', 'D1'),
  area('a1', 'hamlet', 'A'),
  area('a2', 'hamlet', 'A'),
  area('B', 'commune', 'D1'),
  area('C', 'commune', 'D2'),
];

const byCommune = (shares: ReturnType<typeof splitByCommune>) => Object.fromEntries(shares.map((s) => [s.communeId, { areaIds: s.areaIds.sort(), deviceIds: s.deviceIds }]));

describe('splitByCommune', () => {
  it('gives each commune below a district or province the whole commune', () => {
    expect(byCommune(splitByCommune({ areaIds: ['D1'], devices: [] }, TREE))).toEqual({
      A: { areaIds: ['A'], deviceIds: [] },
      B: { areaIds: ['B'], deviceIds: [] },
    });
    expect(Object.keys(byCommune(splitByCommune({ areaIds: ['P'], devices: [] }, TREE))).sort()).toEqual(['A', 'B', 'C']);
  });

  it('keeps hamlets and receivers inside their commune\'s share, and the whole commune wins over its hamlets', () => {
    expect(byCommune(splitByCommune({ areaIds: ['a1', 'a2'], devices: [{ id: 'dev-b', areaId: 'B' }] }, TREE))).toEqual({
      A: { areaIds: ['a1', 'a2'], deviceIds: [] },
      B: { areaIds: [], deviceIds: ['dev-b'] },
    });
    expect(byCommune(splitByCommune({ areaIds: ['a1', 'A'], devices: [] }, TREE))).toEqual({ A: { areaIds: ['A'], deviceIds: [] } });
  });

  it('reaches no commune when the target is above communes with none below', () => {
    expect(splitByCommune({ areaIds: ['D9'], devices: [{ id: 'x', areaId: 'D2' }] }, [...TREE, area('D9', 'district', 'P')])).toEqual([]);
  });
});
