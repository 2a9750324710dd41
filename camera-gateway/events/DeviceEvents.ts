import type { Db } from '../../prisma/index.js';
import type { GatewayLog } from '../CameraGatewayTypes.js';
import type { DeviceEventKind, DeviceEventNotice, EventsAccess, PullPointOptions } from './DeviceEventTypes.js';
import { PullPointSubscription } from './PullPointSubscription.js';

export interface DeviceEventRow {
  id: number;
  cameraId: number;
  kind: DeviceEventKind;
  startedAt: Date;
  endedAt: Date | null;
}

/**
 * The cameras' own ONVIF events (motion, tamper, video loss), one PullPoint subscription per registered
 * camera that offers them, kept as spans (from active to inactive) for the timeline beside the hub's
 * own motion. Spans are written in the order the camera said them.
 */
export class DeviceEvents {
  readonly #prisma: Db;
  readonly #log: GatewayLog;
  readonly #options: PullPointOptions;
  readonly #subscriptions = new Map<number, PullPointSubscription>();
  #writes: Promise<void> = Promise.resolve();

  constructor(deps: { prisma: Db; log: GatewayLog; options: PullPointOptions }) {
    this.#prisma = deps.prisma;
    this.#log = deps.log;
    this.#options = deps.options;
  }

  /** Closes what a previous run left open: the camera is asked again, and says what holds now. */
  async start(): Promise<void> {
    await this.#prisma.cameraDeviceEvent.updateMany({ where: { endedAt: null }, data: { endedAt: new Date() } });
  }

  follow(cameraId: number, access: () => Promise<EventsAccess | null>, checkUri: (uri: string) => string): void {
    if (this.#subscriptions.has(cameraId)) return;
    const subscription = new PullPointSubscription(cameraId, { access, checkUri, options: this.#options, log: this.#log });
    subscription.on('notice', (notice) => this.#record(cameraId, notice));
    this.#subscriptions.set(cameraId, subscription);
    subscription.start();
  }

  async unfollow(cameraId: number): Promise<void> {
    const subscription = this.#subscriptions.get(cameraId);
    this.#subscriptions.delete(cameraId);
    await subscription?.stop();
  }

  /** The camera's spans overlapping [from, to), oldest first (one still open has no end). */
  spans(cameraId: number, from: Date, to: Date): Promise<DeviceEventRow[]> {
    return this.#prisma.cameraDeviceEvent.findMany({
      where: { cameraId, startedAt: { lt: to }, OR: [{ endedAt: null }, { endedAt: { gt: from } }] },
      orderBy: { startedAt: 'asc' },
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions.keys()].map((id) => this.unfollow(id)));
    await this.#writes;
  }

  #record(cameraId: number, notice: DeviceEventNotice): void {
    const write = this.#writes.then(async () => {
      const open = await this.#prisma.cameraDeviceEvent.findFirst({ where: { cameraId, kind: notice.kind, endedAt: null } });
      if (notice.active && !open)
        await this.#prisma.cameraDeviceEvent.create({ data: { cameraId, kind: notice.kind, startedAt: notice.at } });
      if (!notice.active && open) await this.#prisma.cameraDeviceEvent.update({ where: { id: open.id }, data: { endedAt: notice.at } });
    });
    this.#writes = write.catch((err: unknown) => this.#log.error({ err, cameraId }, 'a camera event could not be recorded'));
  }
}
