import type { Db } from '../../prisma/index.js';
import type { GatewayLog } from '../CameraGatewayTypes.js';

type Table = 'counterObservation' | 'counterAbsence';

/** One open span being written: its row, once made. */
export class OpenSpan {
  id: number | null = null;
  constructor(
    readonly table: Table,
    readonly cameraId: number,
    readonly startedAt: Date,
  ) {}
}

/**
 * The counters' observed and absent spans in the database: opened, their end moved on while they last
 * (so a hub that dies leaves each where it last knew), and closed. Writes go one at a time, in order.
 */
export class CounterSpans {
  readonly #prisma: Db;
  readonly #log: GatewayLog;
  #writes: Promise<void> = Promise.resolve();

  constructor(prisma: Db, log: GatewayLog) {
    this.#prisma = prisma;
    this.#log = log;
  }

  /** Spans a previous run left open end where they were last written. */
  async start(): Promise<void> {
    await this.#prisma.counterObservation.updateMany({ where: { open: true }, data: { open: false } });
    await this.#prisma.counterAbsence.updateMany({ where: { open: true }, data: { open: false } });
  }

  open(table: Table, cameraId: number, at: Date): OpenSpan {
    const span = new OpenSpan(table, cameraId, at);
    this.#write(async () => {
      const data = { cameraId, startedAt: at, endedAt: at };
      span.id = (
        table === 'counterObservation'
          ? await this.#prisma.counterObservation.create({ data })
          : await this.#prisma.counterAbsence.create({ data })
      ).id;
    });
    return span;
  }

  extend(span: OpenSpan, at: Date, open = true): void {
    this.#write(async () => {
      if (span.id === null) return;
      const where = { id: span.id };
      const data = { endedAt: at, open };
      if (span.table === 'counterObservation') await this.#prisma.counterObservation.update({ where, data });
      else await this.#prisma.counterAbsence.update({ where, data });
    });
  }

  close(span: OpenSpan, at: Date): void {
    this.extend(span, at, false);
  }

  /** Waits for what was asked to be written. */
  async flushed(): Promise<void> {
    await this.#writes;
  }

  #write(work: () => Promise<void>): void {
    this.#writes = this.#writes.then(work).catch((err: unknown) => this.#log.error({ err }, 'counter attendance could not be recorded'));
  }
}
