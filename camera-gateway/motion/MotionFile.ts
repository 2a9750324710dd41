import { cellCount, type MotionSample } from './MotionTypes.js';

/**
 * Motion metadata on disk: one file per camera-hour ("<hour's epoch second>.motion"), appended as the
 * pictures are analysed. A picture where nothing moved above the noise is not written at all. Each
 * record, little-endian:
 *
 *   u32 ms since the hour began · u16 span (ms since the picture compared with, capped)
 *   · 18 bytes: which of the 144 cells moved (bit i of byte i>>3) · one level byte per cell that moved
 *
 * A busy counter's hour is a few hundred kB; an hour where nothing moved is no file.
 */
export const hourMs = 3_600_000;
const maskBytes = cellCount / 8;
const headerBytes = 4 + 2 + maskBytes;
const maxSpanMs = 0xffff;

export const motionFileName = (hourStart: number) => `${hourStart / 1000}.motion`;

/** The hour (its start, epoch ms) a file holds, or null for another file. */
export function hourOfFile(name: string): number | null {
  const match = /^(\d+)\.motion$/.exec(name);
  return match ? Number(match[1]) * 1000 : null;
}

export const hourOf = (at: number) => Math.floor(at / hourMs) * hourMs;

/** The sample as a record, or null when no cell moved above `noiseFloor`. */
export function encodeSample(sample: MotionSample, noiseFloor: number): Buffer | null {
  const moved: number[] = [];
  for (let cell = 0; cell < cellCount; cell++) if (sample.levels[cell]! >= noiseFloor) moved.push(cell);
  if (moved.length === 0) return null;
  const record = Buffer.alloc(headerBytes + moved.length);
  record.writeUInt32LE(sample.at - hourOf(sample.at), 0);
  record.writeUInt16LE(Math.min(maxSpanMs, Math.max(0, Math.round(sample.spanMs))), 4);
  moved.forEach((cell, i) => {
    record[6 + (cell >> 3)]! |= 1 << (cell & 7);
    record[headerBytes + i] = sample.levels[cell]!;
  });
  return record;
}

/** A stored record as it is read back: where its mask and levels are in the file. */
export interface StoredRecord {
  at: number;
  spanMs: number;
  /** Offset of the record's mask in the buffer; its levels follow the mask. */
  maskAt: number;
}

/**
 * Walks the records of one hour's file. A record cut short at the end (the hub died mid-append) ends
 * the walk: everything before it is read.
 */
export function* records(buffer: Buffer, hourStart: number): Generator<StoredRecord> {
  let offset = 0;
  while (offset + headerBytes <= buffer.length) {
    const maskAt = offset + 6;
    let moved = 0;
    for (let i = 0; i < maskBytes; i++) moved += popcount(buffer[maskAt + i]!);
    if (offset + headerBytes + moved > buffer.length) return;
    yield { at: hourStart + buffer.readUInt32LE(offset), spanMs: buffer.readUInt16LE(offset + 4), maskAt };
    offset += headerBytes + moved;
  }
}

/** How many cells of the region (`inRegion[cell]` 1) moved at `threshold` or more in the record at `maskAt`. */
export function movingCells(buffer: Buffer, maskAt: number, inRegion: Uint8Array, threshold: number): number {
  let level = maskAt + maskBytes;
  let count = 0;
  for (let i = 0; i < maskBytes; i++) {
    const byte = buffer[maskAt + i]!;
    if (byte === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((byte & (1 << bit)) === 0) continue;
      if (inRegion[(i << 3) | bit] === 1 && buffer[level]! >= threshold) count++;
      level++;
    }
  }
  return count;
}

/** Whether any cell of `regionMask` moved in the record (a cheap first look). */
export function touches(buffer: Buffer, maskAt: number, regionMask: Uint8Array): boolean {
  for (let i = 0; i < maskBytes; i++) if ((buffer[maskAt + i]! & regionMask[i]!) !== 0) return true;
  return false;
}

export function maskOf(cells: number[]): Uint8Array {
  const mask = new Uint8Array(maskBytes);
  for (const cell of cells) mask[cell >> 3]! |= 1 << (cell & 7);
  return mask;
}

function popcount(byte: number): number {
  let count = 0;
  for (let b = byte; b; b &= b - 1) count++;
  return count;
}
