import type { types } from 'mediasoup';
import { loadTestTransportInfo, type MeetingRoom } from '../../media-server/index.js';
import type { ClientToServerEvents } from '../../shared/protocol.js';
import type { AuthenticatedUser } from '../accounts/index.js';
import type { PresentationFloor } from './PresentationFloor.js';
import {
  allowLoadTestTransports,
  channels,
  transportOptions,
  type Handlers,
  type HubServer,
  type HubSocket,
  type IceAccess,
  type Session,
  SignallingError,
} from '../realtime/index.js';

export type MediaHandlerEvent = Extract<keyof ClientToServerEvents, `transport:${string}` | `producer:${string}` | `consumer:${string}`>;

/**
 * The media events of a site in a meeting's room: its transports, its producers (announced to the
 * others), and the consumers of what its page shows. Each one acts on the socket's own peer only.
 */
export function mediaHandlers({
  io,
  iceAccess,
  loadTestTransports,
  presentation,
}: {
  io: HubServer;
  /** Who may produce a screen, and what happens when one ends. */
  presentation: PresentationFloor;
  /** Whether bench:load's synthetic sites may ask for PlainTransports (MEDIA_LOAD_TEST_TRANSPORTS). */
  loadTestTransports: boolean;
  /** The relays a signed-in account's browser may use for its transports. */
  iceAccess: (user: AuthenticatedUser) => Promise<IceAccess>;
}): Handlers<MediaHandlerEvent> {
  return {
    'transport:create': async (socket, { direction }) => {
      const { room, peerId } = inRoom(socket);
      return transportOptions(await room.createTransport(peerId, direction), await iceAccess(socket.data.user));
    },
    'transport:connect': async (socket, { transportId, dtlsParameters }) => {
      const { room, peerId } = inRoom(socket);
      await room.connectTransport(peerId, transportId, dtlsParameters as types.DtlsParameters);
      return null;
    },
    'transport:createPlain': async (socket, { direction }) => {
      const { room, peerId } = inRoom(socket);
      allowLoadTestTransports(loadTestTransports);
      return loadTestTransportInfo(await room.createLoadTestTransport(peerId, direction));
    },
    'transport:connectPlain': async (socket, { transportId, ...remote }) => {
      const { room, peerId } = inRoom(socket);
      allowLoadTestTransports(loadTestTransports);
      await room.connectLoadTestTransport(peerId, transportId, remote);
      return null;
    },
    'transport:restartIce': async (socket, { transportId }) => {
      const { room, peerId } = inRoom(socket);
      return { iceParameters: await room.restartIce(peerId, transportId) };
    },
    'producer:create': async (socket, { transportId, kind, rtpParameters, source, paused }) => {
      const { room, peerId, session } = inRoom(socket);
      if (source === 'screen' && session.live.presenterCode !== session.siteCode)
        throw new SignallingError('FORBIDDEN', 'presentation.askFirst');
      // A site the chair muted stays muted across reconnects.
      const mutedByChair = source === 'microphone' && session.live.mutedByChair.has(session.siteCode);
      const producer = await room.produce(peerId, {
        transportId,
        kind,
        rtpParameters: rtpParameters as types.RtpParameters,
        source,
        paused: paused === true || mutedByChair,
      });
      const meetingId = session.live.id;
      const { router } = room.peer(peerId);
      producer.observer.on('close', () => {
        // closed with its router (the worker died, the room closed): the site's eviction or the meeting's end says it,
        // and news of each producer would only hold a page back from joining again
        if (!router.closed) io.to(channels.media(meetingId)).except(socket.id).emit('producer:closed', { peerId, producerId: producer.id });
        if (source === 'screen') presentation.screenClosed(session.live, session.siteCode);
      });
      socket.to(channels.media(meetingId)).emit('producer:new', { peerId, producerId: producer.id, kind, source, paused: producer.paused });
      return { producerId: producer.id };
    },
    'producer:pause': async (socket, { producerId }) => {
      const { room, peerId, session } = inRoom(socket);
      await room.pauseProducer(peerId, producerId);
      socket.to(channels.media(session.live.id)).emit('producer:paused', { peerId, producerId });
      return null;
    },
    'producer:resume': async (socket, { producerId }) => {
      const { room, peerId, session } = inRoom(socket);
      const producer = room.peer(peerId).producer(producerId);
      if (producer.appData.source === 'microphone' && session.live.mutedByChair.has(session.siteCode)) {
        throw new SignallingError('FORBIDDEN', 'meeting.mutedByChair');
      }
      await room.resumeProducer(peerId, producerId);
      socket.to(channels.media(session.live.id)).emit('producer:resumed', { peerId, producerId });
      return null;
    },
    'producer:close': async (socket, { producerId }) => {
      const { room, peerId } = inRoom(socket);
      room.closeProducer(peerId, producerId);
      return null;
    },
    'consumer:create': async (socket, { producerId, spatialLayer, tile }) => {
      const { room, peerId } = inRoom(socket);
      const consumer = await room.consume(peerId, producerId, spatialLayer, tile);
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
      const { room, peerId } = inRoom(socket);
      await room.resumeConsumer(peerId, consumerId);
      return null;
    },
    'consumer:pause': async (socket, { consumerId }) => {
      const { room, peerId } = inRoom(socket);
      await room.pauseConsumer(peerId, consumerId);
      return null;
    },
    'consumer:close': async (socket, { consumerId }) => {
      const { room, peerId } = inRoom(socket);
      room.closeConsumer(peerId, consumerId);
      return null;
    },
    'consumer:setPreferredLayers': async (socket, { consumerId, spatialLayer, temporalLayer, tile }) => {
      const { room, peerId } = inRoom(socket);
      await room.setPreferredLayers(peerId, consumerId, { spatialLayer, temporalLayer }, tile);
      return null;
    },
  };
}

/** The socket's peer in its meeting's room, or NOT_JOINED. */
export function inRoom(socket: HubSocket): { room: MeetingRoom; peerId: string; session: Session } {
  const session = socket.data.session;
  if (!session?.media) throw new SignallingError('NOT_JOINED', session ? 'meeting.waitForStart' : 'meeting.joinFirst');
  return { ...session.media, session };
}
