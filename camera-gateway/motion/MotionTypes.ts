import type { MotionRegion, TamperKind } from '../../shared/cameras.js';

/** The coarse grid motion is kept on: 16 × 9 cells over the whole picture, whatever its shape. */
export const gridColumns = 16;
export const gridRows = 9;
export const cellCount = gridColumns * gridRows;

/** Each analysed picture, grey, 8 × 8 pixels a cell: small enough to cost nothing, fine enough for a lens covered or defocused. */
export const frameWidth = gridColumns * 8;
export const frameHeight = gridRows * 8;
export const frameBytes = frameWidth * frameHeight;

/** One analysed picture against the one before it. */
export interface MotionSample {
  /** When the picture arrived (epoch ms). */
  at: number;
  /** Since the picture it is compared with: the motion happened in (at − spanMs, at]. */
  spanMs: number;
  /** Each cell's mean absolute change of brightness (0–255), cells in rows from the top left. */
  levels: Uint8Array;
}

/** What the picture looks like, for tamper: its detail, and the brightness of each cell. */
export interface FrameSignature {
  /** Mean absolute difference between neighbouring pixels (a covered, blinded or defocused lens has little). */
  detail: number;
  /** Each cell's mean brightness. */
  cellMeans: Float32Array;
}

export interface TamperOptions {
  /** How long a tamper condition must hold before it is raised (people pass in front of a lens). */
  raiseAfterMs: number;
  /** How long the picture must look right again before a tamper clears. */
  clearAfterMs: number;
  /** Below this much detail the picture is flat, whatever the camera showed before. */
  flatDetail: number;
  /** Below this share of the usual detail the lens is covered, defocused or blinded. */
  detailLossShare: number;
  /** Below this likeness (correlation of the cells' brightness) to the usual view the camera looks elsewhere. */
  sceneLikeness: number;
  /** How much each calm picture moves the usual view towards itself (it follows daylight, not a turned camera). */
  learningRate: number;
}

export interface MotionOptions {
  /** Whether the wall streams are analysed at all (`CAMERA_ANALYSIS=false`: a server too small for it; no motion search, no tamper). */
  enabled: boolean;
  /** Cell changes below this are the sensor's and the encoder's noise, not motion (not stored). */
  noiseFloor: number;
  /** How often the metadata is appended to its files (a search also sees what is not written yet). */
  flushIntervalMs: number;
  tamper: TamperOptions;
}

export const defaultMotionOptions: MotionOptions = {
  enabled: true,
  noiseFloor: 3,
  flushIntervalMs: 5000,
  tamper: {
    raiseAfterMs: 5000,
    clearAfterMs: 3000,
    flatDetail: 1.5,
    detailLossShare: 0.35,
    sceneLikeness: 0.5,
    learningRate: 0.01,
  },
};

/** A search over stored motion, parsed. */
export interface MotionQuery {
  from: Date;
  to: Date;
  region: MotionRegion;
  /** 1 (only strong motion) … 10 (the faintest). */
  sensitivity: number;
  /** Share of the region's cells that must move at once, in percent. */
  minArea: number;
}

export type { MotionRegion, TamperKind };
