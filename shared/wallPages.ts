import type { CameraDto, WallLayoutDto } from './cameras.js';

/**
 * The wall's pages for a layout. Grouped by unit, a unit's cameras stay together: a page takes whole
 * units while they fit (the largest first), and a unit with more cameras than a page fills pages of
 * its own. Ungrouped, the cameras follow one another in the registry's order.
 */
export function wallPages(cameras: CameraDto[], layout: WallLayoutDto): CameraDto[][] {
  // the registry's order (counters are registered in their order), so a page keeps its tiles in place
  const sorted = [...cameras].sort((a, b) => a.id - b.id);
  const size = layout.tiles;
  if (!layout.groupByUnit) {
    const pages: CameraDto[][] = [];
    for (let i = 0; i < sorted.length; i += size) pages.push(sorted.slice(i, i + size));
    return pages;
  }
  const units = new Map<string, CameraDto[]>();
  for (const camera of sorted) units.set(camera.unitName, [...(units.get(camera.unitName) ?? []), camera]);
  // the largest units first: the provincial centre's twelve counters open the wall, the communes follow
  const groups = [...units.values()].sort((a, b) => b.length - a.length);
  const pages: CameraDto[][] = [];
  let page: CameraDto[] = [];
  for (const group of groups) {
    if (page.length + group.length > size && page.length > 0) {
      pages.push(page);
      page = [];
    }
    for (const camera of group) {
      if (page.length === size) {
        pages.push(page);
        page = [];
      }
      page.push(camera);
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}
