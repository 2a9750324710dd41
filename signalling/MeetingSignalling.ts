import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Server, Socket } from 'socket.io';
import type { types } from 'mediasoup';
import type { MediaServer, MeetingPeer, MeetingRoom } from '../media-server/index.js';
import {
  clientEventSchemas,
  type AckResult,
  type ClientToServerEvents,
  type PeerInfo,
  type ServerToClientEvents,
} from '../shared/protocol.js';
import type { BridgePointDirectory } from './BridgePointDirectory.js';
import { parsePayload, SignallingError, toAckError } from './validation.js';

interface Session {
  meetingId: string;
  peerId: string;
  room: MeetingRoom;
}

interface SocketData {
  session?: Session;
}

export type HubServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

type Payload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]>[1] extends (result: AckResult<infer T>) => void ? T : never;
type Handlers = { [E in keyof ClientToServerEvents]: (socket: HubSocket, payload: Payload<E>) => Promise<AckData<E>> };

const roomChannel = (meetingId: string) => `meeting:${meetingId}`;

/** The socket.io side of meetings: validates every event, drives the MeetingRoom, fans out changes. */
export class MeetingSignalling {
  readonly #io: HubServer;
  readonly #media: MediaServer;
  readonly #directory: BridgePointDirectory;
  readonly #log: FastifyBaseLogger;
  /** peerId → socket, to reach a peer from room events. */
  readonly #sockets = new Map<string, HubSocket>();
  readonly #wiredRooms = new WeakSet<MeetingRoom>();

  constructor(io: HubServer, media: MediaServer, directory: BridgePointDirectory, log: FastifyBaseLogger) {
    this.#io = io;
    this.#media = media;
    this.#directory = directory;
    this.#log = log;
    io.on('connection', (socket) => this.#onConnection(socket));
  }

  #onConnection(socket: HubSocket): void {
    for (const event of Object.keys(clientEventSchemas) as Array<keyof ClientToServerEvents>) {
      const schema = clientEventSchemas[event];
      const handle = this.#handlers[event] as (socket: HubSocket, payload: unknown) => Promise<unknown>;
      socket.on(event, (async (payload: unknown, ack: unknown) => {
        if (typeof ack !== 'function') {
          this.#log.warn({ event, socket: socket.id }, 'event without acknowledgement callback dropped');
          return;
        }
        try {
          ack({ ok: true, data: await handle(socket, parsePayload(schema, payload)) });
        } catch (error) {
          const result = toAckError(error);
          if (!result.ok && result.error.code === 'INTERNAL') this.#log.error({ err: error, event }, 'signalling event failed');
          ack(result);
        }
      }) as never);
    }
    socket.onAny((event: string, ...args: unknown[]) => {
      if (event in clientEventSchemas) return;
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'INVALID_PAYLOAD', message: `unknown event "${event}"` } });
    });
    socket.on('disconnect', () => this.#leave(socket));
  }

  readonly #handlers: Handlers = {
    'meeting:join': async (socket, { meetingId, bridgePointCode }) => {
      if (socket.data.session) throw new SignallingError('ALREADY_JOINED', 'this connection already joined a meeting');
      const bridgePoint = await this.#directory.find(bridgePointCode);
      if (!bridgePoint) throw new SignallingError('UNKNOWN_BRIDGE_POINT', `no bridge point with code ${bridgePointCode}`);
      const room = await this.#media.room(meetingId);
      this.#wire(room);
      // A site that reconnects replaces its previous presence instead of appearing twice.
      for (const existing of room.peers) {
        if (existing.identity.bridgePointCode === bridgePointCode) this.#sockets.get(existing.id)?.disconnect(true);
      }
      const peer = await room.join({ peerId: randomUUID(), bridgePointCode, bridgePointName: bridgePoint.name });
      socket.data.session = { meetingId, peerId: peer.id, room };
      this.#sockets.set(peer.id, socket);
      await socket.join(roomChannel(meetingId));
      socket.to(roomChannel(meetingId)).emit('peer:joined', peerInfo(peer));
      return {
        peerId: peer.id,
        routerRtpCapabilities: room.routerRtpCapabilities,
        peers: [...room.peers].filter((p) => p.id !== peer.id).map(peerInfo),
        activeSpeakerPeerId: room.activeSpeakerPeerId,
      };
    },
    'meeting:setRtpCapabilities': async (socket, { rtpCapabilities }) => {
      const { room, peerId } = session(socket);
      room.setRtpCapabilities(peerId, rtpCapabilities as types.RtpCapabilities);
      return null;
    },
    'meeting:leave': async (socket) => {
      this.#leave(socket);
      return null;
    },
    'transport:create': async (socket, { direction }) => {
      const { room, peerId } = session(socket);
      const transport = await room.createTransport(peerId, direction);
      return {
        id: transport.id,
        iceParameters: transport.iceParameters,
        iceCandidates: transport.iceCandidates,
        dtlsParameters: transport.dtlsParameters,
      };
    },
    'transport:connect': async (socket, { transportId, dtlsParameters }) => {
      const { room, peerId } = session(socket);
      await room.connectTransport(peerId, transportId, dtlsParameters as types.DtlsParameters);
      return null;
    },
    'transport:restartIce': async (socket, { transportId }) => {
      const { room, peerId } = session(socket);
      return { iceParameters: await room.restartIce(peerId, transportId) };
    },
    'producer:create': async (socket, { transportId, kind, rtpParameters, source }) => {
      const { room, peerId, meetingId } = session(socket);
      const producer = await room.produce(peerId, {
        transportId,
        kind,
        rtpParameters: rtpParameters as types.RtpParameters,
        source,
      });
      producer.observer.on('close', () =>
        this.#io.to(roomChannel(meetingId)).except(socket.id).emit('producer:closed', { peerId, producerId: producer.id }),
      );
      socket.to(roomChannel(meetingId)).emit('producer:new', { peerId, producerId: producer.id, kind, source, paused: producer.paused });
      return { producerId: producer.id };
    },
    'producer:pause': async (socket, { producerId }) => {
      const { room, peerId, meetingId } = session(socket);
      await room.pauseProducer(peerId, producerId);
      socket.to(roomChannel(meetingId)).emit('producer:paused', { peerId, producerId });
      return null;
    },
    'producer:resume': async (socket, { producerId }) => {
      const { room, peerId, meetingId } = session(socket);
      await room.resumeProducer(peerId, producerId);
      socket.to(roomChannel(meetingId)).emit('producer:resumed', { peerId, producerId });
      return null;
    },
    'producer:close': async (socket, { producerId }) => {
      const { room, peerId } = session(socket);
      room.closeProducer(peerId, producerId);
      return null;
    },
    'consumer:create': async (socket, { producerId }) => {
      const { room, peerId } = session(socket);
      const consumer = await room.consume(peerId, producerId);
      return {
        consumerId: consumer.id,
        producerId,
        peerId: consumer.appData.producerPeerId,
        kind: consumer.kind,
        source: consumer.appData.source,
        rtpParameters: consumer.rtpParameters,
        producerPaused: consumer.producerPaused,
      };
    },
    'consumer:resume': async (socket, { consumerId }) => {
      const { room, peerId } = session(socket);
      await room.resumeConsumer(peerId, consumerId);
      return null;
    },
    'consumer:setPreferredLayers': async (socket, { consumerId, spatialLayer, temporalLayer }) => {
      const { room, peerId } = session(socket);
      await room.setPreferredLayers(peerId, consumerId, { spatialLayer, temporalLayer });
      return null;
    },
  };

  #wire(room: MeetingRoom): void {
    if (this.#wiredRooms.has(room)) return;
    this.#wiredRooms.add(room);
    room.on('activeSpeaker', (peerId) => this.#io.to(roomChannel(room.id)).emit('activeSpeaker:changed', { peerId }));
    room.on('consumerClosed', (peerId, consumerId) => this.#sockets.get(peerId)?.emit('consumer:closed', { consumerId }));
    room.on('peerEvicted', (peerId) => this.#sockets.get(peerId)?.disconnect(true));
  }

  #leave(socket: HubSocket): void {
    const current = socket.data.session;
    if (!current) return;
    socket.data.session = undefined;
    this.#sockets.delete(current.peerId);
    void socket.leave(roomChannel(current.meetingId));
    current.room.leave(current.peerId);
    this.#io.to(roomChannel(current.meetingId)).emit('peer:left', { peerId: current.peerId });
  }
}

function session(socket: HubSocket): Session {
  const current = socket.data.session;
  if (!current) throw new SignallingError('NOT_JOINED', 'join a meeting first');
  return current;
}

function peerInfo(peer: MeetingPeer): PeerInfo {
  return {
    peerId: peer.id,
    bridgePointCode: peer.identity.bridgePointCode,
    bridgePointName: peer.identity.bridgePointName,
    producers: [...peer.producers.values()].map((p) => ({
      producerId: p.id,
      kind: p.kind,
      source: p.appData.source,
      paused: p.paused,
    })),
  };
}
