import { cellCount, gridColumns, gridRows, type MotionQuery, type MotionRegion } from './MotionTypes.js';
import { maskOf, movingCells, records, touches } from './MotionFile.js';

/** A cell's change of brightness that counts as motion at each sensitivity, 1 (strong only) … 10 (faint). */
const thresholds = [40, 32, 26, 21, 17, 14, 11, 8, 6, 4] as const;
/** Two moments of motion this close are one interval to look at. */
const joinGapMs = 2000;

export interface MotionInterval {
  start: number;
  end: number;
  /** Largest share of the region moving at once, in percent. */
  peak: number;
}

export const thresholdOf = (sensitivity: number) => thresholds[Math.min(10, Math.max(1, Math.round(sensitivity))) - 1]!;

/** The grid's cells a region covers: those whose centre lies in it, or, for a region smaller than a cell, the cell under its centre. */
export function regionCells(region: MotionRegion): number[] {
  const cells: number[] = [];
  for (let row = 0; row < gridRows; row++) {
    for (let column = 0; column < gridColumns; column++) {
      const x = (column + 0.5) / gridColumns;
      const y = (row + 0.5) / gridRows;
      if (x >= region.x && x <= region.x + region.width && y >= region.y && y <= region.y + region.height)
        cells.push(row * gridColumns + column);
    }
  }
  if (cells.length > 0) return cells;
  const column = Math.min(gridColumns - 1, Math.floor((region.x + region.width / 2) * gridColumns));
  const row = Math.min(gridRows - 1, Math.floor((region.y + region.height / 2) * gridRows));
  return [row * gridColumns + column];
}

/**
 * Finds motion in a region over stored hours: each stored picture whose moving cells in the region
 * reach `minArea` percent at the sensitivity's threshold counts for (at − span, at]; moments closer than
 * two seconds join into one interval. Hours are given oldest first.
 */
export class MotionMatcher {
  readonly #query: MotionQuery;
  readonly #inRegion = new Uint8Array(cellCount);
  readonly #regionMask: Uint8Array;
  readonly #needed: number;
  readonly #cells: number;
  readonly #threshold: number;
  readonly intervals: MotionInterval[] = [];

  constructor(query: MotionQuery) {
    this.#query = query;
    const cells = regionCells(query.region);
    for (const cell of cells) this.#inRegion[cell] = 1;
    this.#regionMask = maskOf(cells);
    this.#cells = cells.length;
    this.#needed = Math.max(1, Math.ceil((query.minArea / 100) * cells.length - 1e-9));
    this.#threshold = thresholdOf(query.sensitivity);
  }

  /** One hour's records (a file's contents, or what is not written yet). */
  scan(buffer: Buffer, hourStart: number): void {
    const from = this.#query.from.getTime();
    const to = this.#query.to.getTime();
    for (const record of records(buffer, hourStart)) {
      const start = record.at - (record.spanMs || 1000);
      if (record.at <= from || start >= to) continue;
      if (!touches(buffer, record.maskAt, this.#regionMask)) continue;
      const moving = movingCells(buffer, record.maskAt, this.#inRegion, this.#threshold);
      if (moving < this.#needed) continue;
      this.#add(Math.max(from, start), Math.min(to, record.at), (moving / this.#cells) * 100);
    }
  }

  #add(start: number, end: number, share: number): void {
    const last = this.intervals.at(-1);
    if (last && start <= last.end + joinGapMs) {
      last.end = Math.max(last.end, end);
      last.peak = Math.max(last.peak, share);
      return;
    }
    this.intervals.push({ start, end, peak: share });
  }
}
