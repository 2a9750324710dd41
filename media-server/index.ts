/** media-server: the mediasoup SFU behind the meetings (and, later, the camera wall). */
export { MediaServer } from './MediaServer.js';
export type { MediaServerEvents, MediaServerOptions } from './MediaServerTypes.js';
export { MeetingRoom } from './MeetingRoom.js';
export { NodePipes } from './NodePipes.js';
export type { ExportedProducer, NodeLink, NodePipesOptions, PipeEnd, ProducerLocation } from './NodePipesTypes.js';
export type { MeetingRoomEvents, PeerIdentity, RoomConsumerCounts, RoomStats, UplinkQuality } from './MeetingRoomTypes.js';
export type { MeetingPeer } from './MeetingPeer.js';
export { MediaNotFoundError, MediaStateError, NoLiveWorkerError, SdpOfferError } from './errors.js';
export { acceptSdpOffer, type SdpIngest } from './sdpIngest.js';
export { openRtpInTransport } from './rtpInTransport.js';
export { isLiveWorker, WorkerPool } from './WorkerPool.js';
export type { PooledWorker, WorkerObjects, WorkerPoolEvents, WorkerPoolOptions } from './WorkerPoolTypes.js';
export { CameraHub } from './CameraHub.js';
export type { CameraIngest, IngestRtp } from './CameraHubTypes.js';
export { loadTestTransportInfo, type PlainRemote } from './loadTestTransports.js';
export type { ProgramTap } from './ProgramTap.js';
export type { ProgramTapTarget, TappedVideo } from './ProgramTapTypes.js';
