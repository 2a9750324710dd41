import { describe, expect, it } from 'vitest';
import { wallPages } from '../../shared/wallPages.js';
import type { CameraDto } from '../../shared/cameras.js';

const camera = (id: number, unitName: string) => ({ id, name: `Camera ${id}`, unitName }) as CameraDto;
/** The sample: twelve counters at the provincial centre, then one per commune. */
const sample = [
  ...Array.from({ length: 12 }, (_, i) => camera(i + 1, 'Trung tâm Phục vụ hành chính công tỉnh')),
  ...Array.from({ length: 25 }, (_, i) => camera(13 + i, `Xã ${i + 1}`)),
];
const ids = (pages: CameraDto[][]) => pages.map((page) => page.map((c) => c.id));

describe('a station’s wall pages', () => {
  it('36 tiles grouped by unit: the centre and 24 communes, then the last commune', () => {
    const pages = wallPages(sample, { tiles: 36, groupByUnit: true, carouselSeconds: 0 });
    expect(ids(pages)).toEqual([Array.from({ length: 36 }, (_, i) => i + 1), [37]]);
  });

  it('keeps a unit on one page while it fits, and splits one larger than a page', () => {
    const pages = wallPages([camera(1, 'A'), camera(2, 'B'), camera(3, 'B'), camera(4, 'C'), camera(5, 'C'), camera(6, 'C')], {
      tiles: 4,
      groupByUnit: true,
      carouselSeconds: 0,
    });
    expect(ids(pages)).toEqual([
      [4, 5, 6],
      [2, 3, 1],
    ]);
    expect(ids(wallPages(sample.slice(0, 12), { tiles: 9, groupByUnit: true, carouselSeconds: 0 }))).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      [10, 11, 12],
    ]);
  });

  it('ungrouped: the registry order, page after page', () => {
    expect(ids(wallPages(sample.slice(10, 15), { tiles: 4, groupByUnit: false, carouselSeconds: 0 }))).toEqual([[11, 12, 13, 14], [15]]);
    expect(wallPages(sample, { tiles: 1, groupByUnit: false, carouselSeconds: 0 })).toHaveLength(37);
  });
});
