import { likeness } from './pictures.js';
import type { FrameSignature, TamperKind, TamperOptions } from './MotionTypes.js';

/**
 * Whether a camera's picture says it was tampered with, picture by picture:
 * - COVERED: the picture lost its detail (flat, or far below the usual view's): a lens covered,
 *   sprayed, defocused or blinded by a light;
 * - MOVED: the picture has detail but not the usual view's layout: the camera was turned or knocked.
 * A condition is raised once it has held `raiseAfterMs` (people pass in front of a lens) and cleared
 * once the picture has looked right for `clearAfterMs`. The usual view is learnt from the first
 * picture with detail, and follows calm pictures slowly (daylight, lights), never a suspect one.
 */
export class TamperWatch {
  readonly #options: TamperOptions;
  #usual?: { detail: number; cellMeans: Float32Array };
  #suspect: { kind: TamperKind; since: number } | null = null;
  #raised: TamperKind | null = null;
  #rightSince: number | null = null;

  constructor(options: TamperOptions) {
    this.#options = options;
  }

  get raised(): TamperKind | null {
    return this.#raised;
  }

  /** The next picture becomes the usual view (a technician re-aimed the camera on purpose). */
  relearn(): void {
    this.#usual = undefined;
  }

  /** Judges one picture; true when the raised condition changed. */
  observe(picture: FrameSignature, at: number): boolean {
    const kind = this.#judge(picture);
    if (this.#raised === null) {
      if (kind === null) {
        this.#suspect = null;
        this.#learn(picture);
        return false;
      }
      if (this.#suspect?.kind !== kind) this.#suspect = { kind, since: at };
      if (at - this.#suspect.since < this.#options.raiseAfterMs) return false;
      this.#raised = kind;
      this.#suspect = null;
      return true;
    }
    if (kind !== null) {
      this.#rightSince = null;
      if (kind === this.#raised) return false;
      this.#raised = kind;
      return true;
    }
    this.#rightSince ??= at;
    if (at - this.#rightSince < this.#options.clearAfterMs) return false;
    this.#raised = null;
    this.#rightSince = null;
    return true;
  }

  #judge(picture: FrameSignature): TamperKind | null {
    const { flatDetail, detailLossShare, sceneLikeness } = this.#options;
    if (picture.detail < flatDetail) return 'COVERED';
    if (!this.#usual) {
      this.#usual = { detail: picture.detail, cellMeans: Float32Array.from(picture.cellMeans) };
      return null;
    }
    if (picture.detail < this.#usual.detail * detailLossShare) return 'COVERED';
    if (likeness(picture.cellMeans, this.#usual.cellMeans) < sceneLikeness) return 'MOVED';
    return null;
  }

  #learn(picture: FrameSignature): void {
    const usual = this.#usual;
    if (!usual) return;
    const rate = this.#options.learningRate;
    usual.detail += (picture.detail - usual.detail) * rate;
    for (let i = 0; i < usual.cellMeans.length; i++) usual.cellMeans[i]! += (picture.cellMeans[i]! - usual.cellMeans[i]!) * rate;
  }
}
