import { cellCount, frameHeight, frameWidth, gridColumns, type FrameSignature } from './MotionTypes.js';

const cellSize = frameWidth / gridColumns;
const pixelsPerCell = cellSize * cellSize;

/** Each cell's mean absolute change of brightness between two analysed pictures (0–255). */
export function motionLevels(previous: Uint8Array, current: Uint8Array): Uint8Array {
  const sums = new Uint32Array(cellCount);
  for (let y = 0; y < frameHeight; y++) {
    const rowCells = ((y / cellSize) | 0) * gridColumns;
    const row = y * frameWidth;
    for (let x = 0; x < frameWidth; x++) {
      const difference = current[row + x]! - previous[row + x]!;
      sums[rowCells + ((x / cellSize) | 0)]! += difference < 0 ? -difference : difference;
    }
  }
  const levels = new Uint8Array(cellCount);
  for (let cell = 0; cell < cellCount; cell++) levels[cell] = Math.min(255, Math.round(sums[cell]! / pixelsPerCell));
  return levels;
}

/** The picture's detail and each cell's brightness (see FrameSignature). */
export function signatureOf(frame: Uint8Array): FrameSignature {
  const sums = new Float64Array(cellCount);
  let detail = 0;
  for (let y = 0; y < frameHeight; y++) {
    const rowCells = ((y / cellSize) | 0) * gridColumns;
    const row = y * frameWidth;
    for (let x = 0; x < frameWidth; x++) {
      const value = frame[row + x]!;
      sums[rowCells + ((x / cellSize) | 0)]! += value;
      if (x + 1 < frameWidth) detail += Math.abs(frame[row + x + 1]! - value);
      if (y + 1 < frameHeight) detail += Math.abs(frame[row + frameWidth + x]! - value);
    }
  }
  const cellMeans = new Float32Array(cellCount);
  for (let cell = 0; cell < cellCount; cell++) cellMeans[cell] = sums[cell]! / pixelsPerCell;
  const pairs = (frameWidth - 1) * frameHeight + frameWidth * (frameHeight - 1);
  return { detail: detail / pairs, cellMeans };
}

/**
 * How alike two views' layouts are: the correlation of their cells' brightness (1: the same layout;
 * near 0: unrelated). Lights turned up or down keep it; a camera turned to a wall does not. A flat
 * picture has no layout: 0.
 */
export function likeness(a: Float32Array, b: Float32Array): number {
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < a.length; i++) {
    meanA += a[i]!;
    meanB += b[i]!;
  }
  meanA /= a.length;
  meanB /= b.length;
  let covariance = 0;
  let varianceA = 0;
  let varianceB = 0;
  for (let i = 0; i < a.length; i++) {
    const da = a[i]! - meanA;
    const db = b[i]! - meanB;
    covariance += da * db;
    varianceA += da * da;
    varianceB += db * db;
  }
  // below one grey level of spread there is no layout to compare
  const flat = a.length;
  if (varianceA < flat || varianceB < flat) return 0;
  return covariance / Math.sqrt(varianceA * varianceB);
}
