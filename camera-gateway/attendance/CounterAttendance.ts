import { EventEmitter } from 'node:events';
import type { Db } from '../../prisma/index.js';
import type { CounterAttendanceRow, MotionRegion } from '../../shared/cameras.js';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import type { MotionSample } from '../motion/MotionTypes.js';
import { regionCells, thresholdOf } from '../motion/motionSearch.js';
import type { OfficeHours } from '../recording/OfficeHours.js';
import type { CounterAttendanceOptions } from './AttendanceTypes.js';
import { counterReport, type ReportedCounter } from './counterReport.js';
import { CounterSpans } from './CounterSpans.js';
import { CounterWatch } from './CounterWatch.js';

export type CounterAttendanceEvents = {
  /** A counter became unattended, or attended again. */
  changed: [cameraId: number];
};

/**
 * Counter attendance: for each camera with a staff zone, whether someone is at the desk during office
 * hours, from the motion in the zone (motion is not a person: see the README), kept as observed and
 * absent spans for the daily and monthly reports.
 */
export class CounterAttendance extends EventEmitter<CounterAttendanceEvents> {
  readonly #prisma: Db;
  readonly #spans: CounterSpans;
  readonly #options: CounterAttendanceOptions;
  readonly #officeHours: OfficeHours;
  readonly #watches = new Map<number, CounterWatch>();

  constructor(deps: { prisma: Db; log: GatewayLog; options: CounterAttendanceOptions; officeHours: OfficeHours }) {
    super();
    this.#prisma = deps.prisma;
    this.#spans = new CounterSpans(deps.prisma, deps.log);
    this.#options = deps.options;
    this.#officeHours = deps.officeHours;
  }

  start(): Promise<void> {
    return this.#spans.start();
  }

  /** The camera's staff zone (null: its counter is not watched); a change ends what was being observed. */
  setZone(cameraId: number, zone: MotionRegion | null): void {
    this.#watches.get(cameraId)?.end();
    this.#watches.delete(cameraId);
    if (!zone) return;
    this.#watches.set(
      cameraId,
      new CounterWatch({
        cameraId,
        zoneCells: regionCells(zone),
        threshold: thresholdOf(this.#options.sensitivity),
        options: this.#options,
        officeHours: this.#officeHours,
        spans: this.#spans,
        changed: () => this.emit('changed', cameraId),
      }),
    );
  }

  picture(cameraId: number, sample: MotionSample): void {
    this.#watches.get(cameraId)?.picture(sample);
  }

  /** The camera's pictures stopped (its wall stream is no longer pulled). */
  stopped(cameraId: number): void {
    this.#watches.get(cameraId)?.end();
  }

  unattendedSince(cameraId: number): Date | null {
    return this.#watches.get(cameraId)?.unattendedSince ?? null;
  }

  async report(counters: ReportedCounter[], from: Date, to: Date): Promise<CounterAttendanceRow[]> {
    await this.#spans.flushed();
    const where = { startedAt: { lt: to }, endedAt: { gt: from } };
    const [observations, absences] = await Promise.all([
      this.#prisma.counterObservation.findMany({ where, orderBy: { startedAt: 'asc' } }),
      this.#prisma.counterAbsence.findMany({ where, orderBy: { startedAt: 'asc' } }),
    ]);
    return counterReport(counters, observations, absences, from, to);
  }

  async close(): Promise<void> {
    for (const watch of this.#watches.values()) watch.end();
    await this.#spans.flushed();
  }
}
