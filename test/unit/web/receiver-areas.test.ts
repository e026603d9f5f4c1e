/** The area tree as a choice list and receivers grouped by area, in tree order. */
import { describe, expect, it } from 'vitest';
import { areaOptions, areaPathText, groupByArea, indentedName } from '../../../server/web/src/lib/receiver-areas.js';

interface Area {
  readonly id: string;
  readonly name: string;
  readonly children: Area[];
}
const area = (id: string, name: string, children: Area[] = []): Area => ({ id, name, children });
const TREE = [area('p', 'Tỉnh Hòa Bình', [area('d', 'Huyện Tân Lạc', [area('c', 'Xã Văn Sơn', [area('h1', 'Xóm Bưa'), area('h2', 'Xóm Mới')])])])];
const receiver = (id: string, name: string, areaId: string, online = true) => ({ id, name, areaId, online });

describe('area choices', () => {
  it('lists every area in tree order with its depth, indented with spaces a select keeps', () => {
    const options = areaOptions(TREE);
    expect(options.map((o) => [o.id, o.depth])).toEqual([
      ['p', 0],
      ['d', 1],
      ['c', 2],
      ['h1', 3],
      ['h2', 3],
    ]);
    expect(indentedName(options[0]!)).toBe('Tỉnh Hòa Bình');
    expect(indentedName(options[3]!)).toBe(`${'\u00a0'.repeat(9)}Xóm Bưa`);
  });

  it('writes an area path from the top down, empty for an area outside the tree', () => {
    expect(areaPathText(TREE, 'h2')).toBe('Tỉnh Hòa Bình › Huyện Tân Lạc › Xã Văn Sơn › Xóm Mới');
    expect(areaPathText(TREE, 'elsewhere')).toBe('');
  });
});

describe('receivers by area', () => {
  const receivers = [
    receiver('r1', 'Loa Xóm Mới', 'h2'),
    receiver('r2', 'Loa trung tâm', 'c', false),
    receiver('r3', 'Loa cuối xóm', 'h1'),
    receiver('r4', 'Loa đầu xóm', 'h1', false),
    receiver('r5', 'Loa đã chuyển', 'gone'),
  ];

  it('groups in tree order, by name within an area, skipping empty areas and keeping strays last', () => {
    const groups = groupByArea(TREE, receivers);
    expect(groups.map((g) => g.areaId)).toEqual(['c', 'h1', 'h2', 'gone']);
    expect(groups[1]!.receivers.map((r) => r.name)).toEqual(['Loa cuối xóm', 'Loa đầu xóm']);
    expect(groups[1]!.path).toBe('Tỉnh Hòa Bình › Huyện Tân Lạc › Xã Văn Sơn › Xóm Bưa');
    expect(groups[3]!.path).toBe('gone');
  });

  it('filters by part of the name in any case, and by offline', () => {
    expect(groupByArea(TREE, receivers, { text: '  XÓM ' }).flatMap((g) => g.receivers.map((r) => r.id))).toEqual(['r3', 'r4', 'r1']);
    expect(groupByArea(TREE, receivers, { offlineOnly: true }).flatMap((g) => g.receivers.map((r) => r.id))).toEqual(['r2', 'r4']);
    expect(groupByArea(TREE, receivers, { text: 'không có' })).toEqual([]);
  });
});
