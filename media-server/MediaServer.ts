import { EventEmitter } from 'node:events';
import type { ShedStep } from '../shared/protocol.js';
import { CameraHub } from './CameraHub.js';
import { LoadShedding } from './LoadShedding.js';
import { MeetingRoom } from './MeetingRoom.js';
import { NodePipes } from './NodePipes.js';
import type { NodePipesOptions } from './NodePipesTypes.js';
import type { MediaServerEvents, MediaServerOptions } from './MediaServerTypes.js';
import { WorkerPool } from './WorkerPool.js';

/** The SFU: a worker pool and one MeetingRoom per live meeting, closed when its last peer leaves. */
export class MediaServer extends EventEmitter<MediaServerEvents> {
  readonly #pool: WorkerPool;
  readonly #options: MediaServerOptions;
  readonly #rooms = new Map<string, Promise<MeetingRoom>>();
  #cameraHub?: Promise<CameraHub>;
  #nodePipes?: NodePipes;
  readonly #shedding: LoadShedding;

  private constructor(pool: WorkerPool, options: MediaServerOptions) {
    super();
    this.#pool = pool;
    this.#options = options;
    this.#shedding = new LoadShedding(pool, options.loadShedding ?? { highPercent: 85, lowPercent: 60 });
    this.#shedding.on('readFailed', (error) => this.emit('loadSheddingFailed', error));
    this.#shedding.on('changed', (steps) => {
      this.#lowerThumbnails(steps.includes('thumbnails')).catch((error: unknown) => this.emit('loadSheddingFailed', error));
      this.emit('loadShed', steps);
    });
  }

  /** What the hub gives up now because the machine runs short (empty while it has room). */
  get shedSteps(): readonly ShedStep[] {
    return this.#shedding.steps;
  }

  /** How many times each step was taken since start. */
  get shedTaken(): Readonly<Record<ShedStep, number>> {
    return this.#shedding.taken;
  }

  /** The busiest worker's CPU demand at the last reading (percent of a core, waiting for a core included). */
  get loadPercent(): number {
    return this.#shedding.percent;
  }

  static async create(options: MediaServerOptions): Promise<MediaServer> {
    return new MediaServer(await WorkerPool.create(options), options);
  }

  /** Whether synthetic sites may use loopback PlainTransports (bench:load only). */
  get loadTestTransports(): boolean {
    return this.#options.loadTestTransports === true;
  }

  get workerPool(): WorkerPool {
    return this.#pool;
  }

  /**
   * This node is one of several (cluster mode): a meeting's sites on other nodes get its producers
   * through pipes between the nodes, and this node's through theirs.
   */
  connectNodes(options: Omit<NodePipesOptions, 'listenInfo'>): NodePipes {
    this.#nodePipes = new NodePipes({ ...options, listenInfo: () => this.#pool.nodeListenInfo() }, (id) => this.existingRoom(id));
    return this.#nodePipes;
  }

  /** The pipes to the other nodes (cluster mode only). */
  get nodePipes(): NodePipes | undefined {
    return this.#nodePipes;
  }

  room(meetingId: string): Promise<MeetingRoom> {
    let room = this.#rooms.get(meetingId);
    if (!room) {
      const { peersPerRouter, maxShownVideos, maxForwardedMicrophones } = this.#options;
      const remote = this.#nodePipes;
      room = MeetingRoom.create(this.#pool, { meetingId, peersPerRouter, maxShownVideos, maxForwardedMicrophones, remote });
      this.#rooms.set(meetingId, room);
      room.then(
        (r) => {
          this.emit('roomCreated', meetingId);
          if (this.#shedding.steps.includes('thumbnails'))
            r.lowerThumbnails(true).catch((error: unknown) => this.emit('loadSheddingFailed', error));
          r.on('nodePipeFailed', (error) => this.emit('nodePipeError', error));
          r.on('empty', () => {
            r.close();
            this.#rooms.delete(meetingId);
            this.emit('roomClosed', meetingId);
          });
        },
        () => this.#rooms.delete(meetingId),
      );
    }
    return room;
  }

  /** The camera wall's router, created on first use. */
  cameraHub(): Promise<CameraHub> {
    this.#cameraHub ??= CameraHub.create(this.#pool);
    return this.#cameraHub;
  }

  async existingRoom(meetingId: string): Promise<MeetingRoom | undefined> {
    return this.#rooms.get(meetingId);
  }

  async #lowerThumbnails(lowered: boolean): Promise<void> {
    for (const room of this.#rooms.values()) await (await room.catch(() => undefined))?.lowerThumbnails(lowered);
  }

  async close(): Promise<void> {
    this.#shedding.close();
    this.#nodePipes?.close();
    for (const room of this.#rooms.values()) (await room).close();
    this.#rooms.clear();
    (await this.#cameraHub?.catch(() => undefined))?.close();
    this.#pool.close();
  }
}
