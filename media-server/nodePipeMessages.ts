import type { types } from 'mediasoup';
import { z } from 'zod';
import { nodeCall, nodeNotice } from '../shared/nodeMethods.js';
import { mediaSourceSchema } from '../shared/protocol.js';
import type { PeerIdentity } from './MeetingRoomTypes.js';
import type { ExportedProducer, PipeEnd, ProducerLocation } from './NodePipesTypes.js';

/** What crosses between nodes for NodePipes, parsed with these schemas (another node is another process). */

const meetingId = z.string().min(1);
const producerId = z.string().min(1);

export const peerIdentitySchema: z.ZodType<PeerIdentity> = z.object({
  peerId: z.string().min(1),
  bridgePointCode: z.string().min(1),
  bridgePointName: z.string(),
});

const srtpParameters: z.ZodType<types.SrtpParameters> = z.object({
  cryptoSuite: z.enum(['AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32']),
  keyBase64: z.string().min(1),
});

const rtpParametersShape = z.looseObject({
  mid: z.string().optional(),
  codecs: z.array(z.looseObject({ mimeType: z.string(), payloadType: z.number().int(), clockRate: z.number().int() })).min(1),
  headerExtensions: z.array(z.looseObject({ uri: z.string(), id: z.number().int() })).optional(),
  encodings: z.array(z.looseObject({ ssrc: z.number().int().optional() })).optional(),
  rtcp: z.looseObject({ cname: z.string().optional() }).optional(),
});
/** Its shape here; mediasoup checks the rest when the pipe's producer is made from it. */
const rtpParameters = z.custom<types.RtpParameters>((value) => rtpParametersShape.safeParse(value).success, 'malformed RTP parameters');

export const pipeEndSchema: z.ZodType<PipeEnd> = z.object({
  meetingId,
  ip: z.union([z.ipv4(), z.ipv6()]),
  port: z.number().int().min(1).max(65535),
  srtpParameters: srtpParameters.optional(),
});

export const exportedProducerSchema: z.ZodType<ExportedProducer> = z.object({
  kind: z.enum(['audio', 'video']),
  rtpParameters,
  paused: z.boolean(),
  peer: peerIdentitySchema,
  source: mediaSourceSchema,
});

export const producerLocationSchema: z.ZodType<ProducerLocation> = z.object({
  nodeId: z.string().min(1),
  peer: peerIdentitySchema,
  kind: z.enum(['audio', 'video']),
  source: mediaSourceSchema,
  paused: z.boolean(),
});

const producerRefSchema = z.object({ meetingId, producerId });

/** NodePipes' methods between nodes: the importer's and the origin's sides of a pipe. */
export const pipeMethods = {
  /** Importer → origin: here is my end of the meeting's pipe; the answer is the origin's end. */
  open: nodeCall('pipe.open', pipeEndSchema, pipeEndSchema),
  /** Importer → origin: send this producer down the pipe; the answer describes what comes. */
  export: nodeCall('pipe.export', producerRefSchema, exportedProducerSchema),
  /** Importer → origin: nobody here consumes it any more. */
  release: nodeNotice('pipe.release', producerRefSchema),
  /** Importer → origin: the highest layer its viewers need. */
  layer: nodeNotice('pipe.layer', z.object({ meetingId, producerId, layer: z.number().int().min(0) })),
  /** Importer → origin: the meeting's pipe is closed at this end. */
  unlink: nodeNotice('pipe.unlink', z.object({ meetingId })),
  /** Origin → importer: the producer closed. */
  closed: nodeNotice('pipe.closed', producerRefSchema),
  /** Origin → importer: the producer paused or resumed. */
  paused: nodeNotice('pipe.paused', z.object({ meetingId, producerId, paused: z.boolean() })),
};
