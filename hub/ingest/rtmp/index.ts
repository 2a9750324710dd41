/** ingest/rtmp: a feed's RTMP port, held by the hub until the encoder has published with the right key. */
export { RtmpGate, type RtmpGateEvents, type RtmpGateOptions } from './RtmpGate.js';
export { decodeAmf0, encodeAmf0, type Amf0Value } from './amf0.js';
export { RtmpChunkReader, RtmpProtocolError, rtmpMessageTypes, type RtmpMessage } from './RtmpChunkReader.js';
