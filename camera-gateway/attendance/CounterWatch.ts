import type { OfficeHours } from '../recording/OfficeHours.js';
import type { MotionSample } from '../motion/MotionTypes.js';
import type { CounterAttendanceOptions } from './AttendanceTypes.js';
import type { CounterSpans, OpenSpan } from './CounterSpans.js';

/**
 * One counter's staff zone, picture by picture, during office hours: a motion there means someone is
 * at the desk; nothing for `unattendedAfterMs` opens an absence from the last motion seen, which the
 * next motion closes. Outside office hours, or when the pictures stop, nothing is observed.
 */
export class CounterWatch {
  readonly #cameraId: number;
  readonly #zoneCells: number[];
  readonly #threshold: number;
  readonly #needed: number;
  readonly #options: CounterAttendanceOptions;
  readonly #officeHours: OfficeHours;
  readonly #spans: CounterSpans;
  readonly #changed: () => void;
  #observation: OpenSpan | null = null;
  #absence: OpenSpan | null = null;
  #lastMotionAt = 0;
  #lastPictureAt = 0;
  #lastWrittenAt = 0;

  constructor(deps: {
    cameraId: number;
    zoneCells: number[];
    threshold: number;
    options: CounterAttendanceOptions;
    officeHours: OfficeHours;
    spans: CounterSpans;
    /** The counter became unattended, or attended again. */
    changed: () => void;
  }) {
    this.#cameraId = deps.cameraId;
    this.#zoneCells = deps.zoneCells;
    this.#threshold = deps.threshold;
    this.#needed = Math.max(1, Math.ceil((deps.options.minArea / 100) * deps.zoneCells.length - 1e-9));
    this.#options = deps.options;
    this.#officeHours = deps.officeHours;
    this.#spans = deps.spans;
    this.#changed = deps.changed;
  }

  /** Since when nobody has been seen at the desk, while the counter counts as unattended. */
  get unattendedSince(): Date | null {
    return this.#absence?.startedAt ?? null;
  }

  picture(sample: MotionSample): void {
    const at = sample.at;
    if (this.#observation && at - this.#lastPictureAt > this.#options.maxGapMs) this.end();
    if (!this.#officeHours.contains(new Date(at))) {
      this.end();
      return;
    }
    this.#lastPictureAt = at;
    if (!this.#observation) {
      this.#observation = this.#spans.open('counterObservation', this.#cameraId, new Date(at));
      this.#lastMotionAt = at;
      this.#lastWrittenAt = at;
    }
    const moving = this.#zoneCells.filter((cell) => sample.levels[cell]! >= this.#threshold).length;
    if (moving >= this.#needed) {
      this.#lastMotionAt = at;
      if (this.#absence) {
        // someone is back: the absence lasted until the picture before this one showed the desk still empty
        this.#spans.close(this.#absence, new Date(at - sample.spanMs));
        this.#absence = null;
        this.#changed();
      }
    } else if (!this.#absence && at - this.#lastMotionAt >= this.#options.unattendedAfterMs) {
      this.#absence = this.#spans.open('counterAbsence', this.#cameraId, new Date(this.#lastMotionAt));
      this.#changed();
    }
    if (at - this.#lastWrittenAt >= this.#options.heartbeatMs) {
      this.#lastWrittenAt = at;
      this.#spans.extend(this.#observation, new Date(at));
      if (this.#absence) this.#spans.extend(this.#absence, new Date(at));
    }
  }

  /** Nothing is observed from the last picture on (office hours over, the pictures stopped, the zone changed). */
  end(): void {
    if (!this.#observation) return;
    const last = new Date(this.#lastPictureAt);
    if (this.#absence) {
      this.#spans.close(this.#absence, last);
      this.#absence = null;
      this.#changed();
    }
    this.#spans.close(this.#observation, last);
    this.#observation = null;
  }
}
