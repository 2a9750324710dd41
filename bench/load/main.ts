/**
 * The province's whole meeting on one hub: synthetic bridge points driven through the hub's own
 * signalling (sign-in, join, transports, produce, consume, resume, layers), sending real VP8
 * simulcast and Opus over SRTP, all joining at once (the 8 a.m. storm); optionally supervision
 * stations watching all 37 cameras, real Chromium sites among the synthetic ones, and bare mediasoup
 * forwarding the same media for the cost per packet. docs/load-test.md and BENCHMARKS.md say more.
 *   npm run bench:load -- [--sites 47] [--seconds 20] [--forward-all] [--walls 2] [--program] [--record-cameras] [--chromium 3] [--unmuted 3] [--peers-per-router N] [--bare] [--cpu-prof DIR] [--nodes 2] [--sip-calls 20] [--json]
 * --program: the meeting's program pushed to an SRT listener and recorded; --record-cameras: every camera
 * recorded. The busiest hour: --sites 125 --walls 2 --program --record-cameras.
 * With --nodes 2: two hub nodes (PostgreSQL, Redis) behind HAProxy; the sites reach them through the balancer's address.
 * --sip-calls N: N room systems dial the meeting over SIP (its conference ID and PIN) once the sites are in, each sending
 * a recorded H.264 call and receiving the program and its mix-minus (`RoomSystemCall`); one site each shows a call's
 * picture among its thumbnails.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bareForwardingCost } from './bareForwarding.js';
import { ChromiumSites } from './chromiumSites.js';
import { loadSiteClip } from './clip.js';
import { signallingRoundTrips } from './HubConnection.js';
import { LoadCluster, pipeBytes } from './LoadCluster.js';
import { LoadHub, siteCodes, type HubSample } from './LoadHub.js';
import { ProgramProbe, recordAllCameras } from './ProgramProbe.js';
import { hubRequest } from '../hubRequest.js';
import { signIn } from '../signIn.js';
import { startMeeting } from '../meeting.js';
import { percentile } from '../stats.js';
import type { ReceivedStream } from './SiteReceiver.js';
import { SyntheticSite } from './SyntheticSite.js';
import { WallStation } from './WallStation.js';
import { RoomSystemCall } from './RoomSystemCall.js';
import { loadRoomSystemClip } from './clip.js';
import { freeUdpAndTcpPort } from '../../test/support/freePort.js';
import { isFeedCode } from '../../shared/meetings.js';
import { shedSteps, type PeerInfo, type ShedStep } from '../../shared/protocol.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const sites = option('sites', 47);
const seconds = option('seconds', 20);
const walls = option('walls', 0);
const chromiumCount = option('chromium', 0);
/** Microphones open: the chair's, speaking, and the next sites', hearing their room only; the rest muted. */
const unmuted = option('unmuted', 3);
const forwardAll = args.includes('--forward-all');
const withProgram = args.includes('--program');
const recordCameras = args.includes('--record-cameras');
const compareBare = args.includes('--bare');
const json = args.includes('--json');
const cpuProfileDir = args.includes('--cpu-prof') ? args[args.indexOf('--cpu-prof') + 1] : undefined;
if (!Number.isInteger(sites) || sites < 2 || chromiumCount >= sites || !(seconds > 0))
  throw new Error('--sites N (≥ 2), --seconds S (> 0), --chromium K (< N), --walls N');

/** The hub's simulated counter cameras (hub/main.ts, SAMPLE_CAMERAS). */
const sampleCameras = 37;
const log = (line: string) => console.error(`[load] ${line}`);

const clip = loadSiteClip();
const peersPerRouter = args.includes('--peers-per-router') ? option('peers-per-router', 200) : undefined;
const nodeCount = option('nodes', 1);
if (nodeCount !== 1 && nodeCount !== 2) throw new Error('--nodes 1 or 2');
const sipCalls = option('sip-calls', 0);
if (!Number.isInteger(sipCalls) || sipCalls < 0 || sipCalls > 250 || (sipCalls > 0 && nodeCount !== 1))
  throw new Error('--sip-calls N (0–250, with one node)');
const sip = sipCalls
  ? { port: await freeUdpAndTcpPort(), tlsPort: await freeUdpAndTcpPort(), bfcpPort: await freeUdpAndTcpPort() }
  : undefined;
const hubOptions = { sites, cameras: walls > 0 || recordCameras, forwardAll, cpuProfileDir, peersPerRouter, sip };
const hub = nodeCount === 2 ? await LoadCluster.start(hubOptions) : await LoadHub.start(hubOptions);
const codes = siteCodes(sites);
const synthetic: SyntheticSite[] = [];
const stations: WallStation[] = [];
let browsers: ChromiumSites | undefined;
let program: ProgramProbe | undefined;
const calls: RoomSystemCall[] = [];
const pacer = setInterval(() => {
  const now = performance.now();
  for (const site of synthetic) site.sender?.tick(now);
  for (const call of calls) call.tick(now);
}, 5);
try {
  const meetingId = await startMeeting(hub.base, codes, 'Họp toàn tỉnh (bench:load)');
  if (walls > 0 || recordCameras) await untilCamerasRegistered(hub.base, sampleCameras, 60_000);
  const camerasRecorded = recordCameras ? await recordAllCameras(hub.base) : 0;
  for (let i = 0; i < walls; i++) {
    const station = new WallStation();
    stations.push(station);
    await station.open(hub.base);
  }
  if (walls > 0) await untilWallsPlay(stations, sampleCameras, 120_000);
  const syntheticCodes = codes.slice(0, sites - chromiumCount);
  for (const [i, code] of syntheticCodes.entries())
    synthetic.push(
      new SyntheticSite({
        base: hub.base,
        // the host site is the chair's
        username: i === 0 ? 'chu-toa' : code.toLowerCase(),
        meetingId,
        clip,
        voice: i === 0 ? 'speaking' : i < unmuted ? 'room' : undefined,
        forwardAll,
        // a site each watches a room system's picture among its thumbnails (the i-th to call): what the SFU gets of them
        ...(i > 0 && i <= sipCalls
          ? { watch: (others: PeerInfo[]) => others.filter((peer) => isFeedCode(peer.bridgePointCode)).slice(i - 1, i) }
          : {}),
      }),
    );

  for (const site of synthetic) await site.signIn();
  log(`${synthetic.length} synthetic sites join at once${forwardAll ? ' (forward all)' : ''}`);
  const stormAt = performance.now();
  const stormLag = monitorEventLoopDelay({ resolution: 10 });
  stormLag.enable();
  const joins = await Promise.allSettled(synthetic.map((site) => site.join()));
  stormLag.disable();
  // how long the hub itself took to answer the storm's requests: against the sites' own join times, what is the
  // hub's and what the generator's (its 125 sites' SRTP and signalling share one event loop)
  const stormAnswers = await signallingAnswers(hub.nodes.length ? hub.nodes.map((node) => node.base) : [hub.base]);
  // a site that cannot join (the hub overloaded) is reported, and the run goes on with the others
  const failed = joins.flatMap((r, i) => (r.status === 'rejected' ? [`${synthetic[i]!.username}: ${String(r.reason)}`] : []));
  if (failed.length) log(`${failed.length} sites failed to join:\n  ${failed.slice(0, 5).join('\n  ')}`);
  const joined = synthetic.filter((site) => site.joinedAt !== undefined);
  const joinMs = joined.map((site) => site.joinedAt! - stormAt);
  log(`${joined.length} joined, the last after ${roundOrNull(max(joinMs))} ms`);

  const largeDecodedMs = await untilLargeTilesDecode(joined, stormAt, 60_000);
  const decoded = largeDecodedMs.filter((ms) => ms !== undefined);
  log(`${decoded.length} of ${joined.length} large tiles had a whole key frame, the last after ${roundOrNull(max(decoded))} ms`);
  if (chromiumCount > 0) {
    browsers = await ChromiumSites.launch();
    for (const code of codes.slice(sites - chromiumCount)) await browsers.join(hub.base, code.toLowerCase(), meetingId);
    // the pages join with their microphones on: the chair mutes all, so only the chair speaks
    log(`the chair muted ${await synthetic[0]!.muteAll()} sites`);
  }
  const callsReport = sipCalls ? await dialRoomSystems(meetingId) : undefined;
  // the program: its listener keeps what arrives until the window's end, with room for the settling before it
  program = withProgram ? await ProgramProbe.start(hub.base, meetingId, seconds + 15) : undefined;
  // dynacast and the simulcast layers settle, the wall's streams start, the program settles on the speaker
  await new Promise((r) => setTimeout(r, withProgram ? 10_000 : 5000));

  log(`measuring ${seconds} s`);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const before = snapshot();
  const cpuBefore = hub.sample();
  const generatorBefore = process.cpuUsage();
  const recordedBefore = (await program?.recordedBytes()) ?? 0;
  const nodesBefore = await Promise.all(hub.nodes.map(async (node) => ({ cpu: node.sample(), pipe: await pipeBytes(node) })));
  const windowStart = performance.now();
  const chromiumChecks = browsers ? browsers.decoding(Math.min(seconds, 10) * 1000) : Promise.resolve([]);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const windowMs = performance.now() - windowStart;
  const cpuAfter = hub.sample();
  const generatorCpu = process.cpuUsage(generatorBefore);
  const recordedAfter = (await program?.recordedBytes()) ?? 0;
  const nodesAfter = await Promise.all(hub.nodes.map(async (node) => ({ cpu: node.sample(), pipe: await pipeBytes(node) })));
  const after = snapshot();
  loopDelay.disable();
  const watchedCalls = synthetic.flatMap((site) => site.watchedStreams);
  const lossPercent = (stream: ReceivedStream) => {
    const expected = after.expected.get(stream)! - (before.expected.get(stream) ?? 0);
    return expected ? (100 * (expected - (after.packets.get(stream)! - (before.packets.get(stream) ?? 0)))) / expected : 0;
  };
  const chromium = await chromiumChecks;

  const window = windowMs / 1000;
  // frames over the sender's clock (RTP time) between the window's first and last frame: a frozen stream falls below 25
  const fps = (stream: ReceivedStream | undefined) => {
    if (!stream || !before.timestamps.get(stream)) return 0;
    const rtpSeconds = (after.timestamps.get(stream)! - before.timestamps.get(stream)!) / 90_000;
    return rtpSeconds > 0 ? (after.frames.get(stream)! - before.frames.get(stream)!) / rtpSeconds : 0;
  };
  const largeFps = joined.map((site) => fps(site.largeStream));
  // a thumbnail whose first frame came only during the window (its tile switched late) is counted apart, not as frozen
  const lateThumbnails = joined
    .flatMap((site) => site.thumbnailStreams)
    .filter((s) => !before.timestamps.get(s) && after.timestamps.get(s));
  const smallFps = joined.flatMap((site) => site.thumbnailStreams.filter((s) => !lateThumbnails.includes(s)).map(fps));
  const audioLoss = joined.map((site) => {
    const received = site.audioStreams.reduce((n, s) => n + after.packets.get(s)! - (before.packets.get(s) ?? 0), 0);
    const expected = site.audioStreams.reduce((n, s) => n + after.expected.get(s)! - (before.expected.get(s) ?? 0), 0);
    return expected ? (100 * (expected - received)) / expected : 0;
  });
  const wallFps = stations.flatMap((station) => [...station.streams.values()].map(fps));
  const forwardedPackets = after.totalPackets - before.totalPackets;
  const ingressPackets = after.sentPackets - before.sentPackets;
  const workerCpuSeconds = cpuAfter.workers.cpuSeconds - cpuBefore.workers.cpuSeconds;
  // the chair speaks: every other site should be told it is the active speaker, whichever node it is on
  const chairSite = synthetic[0]!;
  const listeners = joined.filter((site) => site !== chairSite);
  const speakerAgreed = listeners.filter((site) => site.activeSpeakerPeerId === chairSite.peerId).length;
  const media = await mediaStats(hub.nodes.length ? hub.nodes.map((n) => n.base) : [hub.base], meetingId);
  const errors = [...synthetic.flatMap((s) => s.errors), ...stations.flatMap((s) => s.errors)];
  const programReport = program ? await program.finish(recordedAfter - recordedBefore, windowStart, recordedAfter) : undefined;
  program = undefined;
  const cpuPercent = (key: keyof HubSample) => round1((100 * (cpuAfter[key].cpuSeconds - cpuBefore[key].cpuSeconds)) / window);
  const shedTaken = await shedStepsTaken(hub.nodes.length ? hub.nodes.map((n) => n.base) : [hub.base]);

  const round1 = (n: number) => Math.round(n * 10) / 10;
  const result: Record<string, unknown> = {
    sites,
    syntheticSites: synthetic.length,
    joinFailed: failed.length,
    chromiumSites: chromiumCount,
    forwardAll,
    walls,
    unmuted,
    // null: no cap, the meeting spreads over the workers by their load (the default)
    peersPerRouter: peersPerRouter ?? null,
    // the meeting's sites on each worker's router (per node): how the load spread it
    sitesByWorker: hub.nodes.length ? media.sitesByWorker : media.sitesByWorker[0],
    consumers: media.consumers.total,
    forwardedConsumers: media.consumers.forwardedVideo + media.consumers.forwardedAudio,
    forwardedMbps: round1(((after.totalBytes - before.totalBytes) * 8) / window / 1e6),
    forwardedPps: Math.round(forwardedPackets / window),
    ingressPps: Math.round(ingressPackets / window),
    workerCpuPercent: round1((100 * workerCpuSeconds) / window),
    nodeCpuPercent: round1((100 * (cpuAfter.node.cpuSeconds - cpuBefore.node.cpuSeconds)) / window),
    rssMb: Math.round(cpuAfter.node.rssMb + cpuAfter.workers.rssMb),
    // the hub's media processes (ffmpeg: camera pulls and recordings, the program), the sample cameras and the generator
    mediaCpuPercent: cpuPercent('media'),
    mediaRssMb: Math.round(cpuAfter.media.rssMb),
    // hub, workers and media processes: of both cores, 200 = both full
    hubTotalCpuPercent: round1(cpuPercent('node') + cpuPercent('workers') + cpuPercent('media')),
    sampleCamerasCpuPercent: cpuPercent('sampleCameras'),
    generatorCpuPercent: round1(((generatorCpu.user + generatorCpu.system) / 1e6 / window) * 100),
    joinMsP50: joinMs.length ? Math.round(percentile(joinMs, 50)) : null,
    joinMsP99: joinMs.length ? Math.round(percentile(joinMs, 99)) : null,
    joinMsMax: roundOrNull(max(joinMs)),
    joinStepsMsP99: Object.fromEntries(
      Object.keys(joined[0]?.joinSteps ?? {}).map((step) => [
        step,
        Math.round(
          percentile(
            joined.map((site) => site.joinSteps[step as keyof SyntheticSite['joinSteps']]),
            99,
          ),
        ),
      ]),
    ),
    largeDecodedMsMax: decoded.length === largeDecodedMs.length ? roundOrNull(max(decoded)) : null,
    largeNotDecoded: largeDecodedMs.length - decoded.length,
    largeFpsMin: round1(min(largeFps) ?? 0),
    smallFpsMin: round1(min(smallFps) ?? 0),
    smallStartedInWindow: lateThumbnails.length,
    speakerAgreedSites: `${speakerAgreed}/${listeners.length}`,
    audioLossPercentMax: round1(max(audioLoss) ?? 0),
    // datagrams the kernel dropped for full socket buffers, on this machine during the window (the hub's or the generator's)
    udpDrops: after.udpDrops - before.udpDrops,
    // the generator's own event-loop stalls (its senders catch up in bursts after one)
    generatorLagMsMax: Math.round(loopDelay.max / 1e6),
    signallingMsP99: round1(percentile(signallingRoundTrips, 99)),
    // during the join storm: the generator's longest event-loop stall, and the hub's own answer times by event
    // (from its `hub_signalling_event_seconds` histogram: requests, mean, and the bucket bound under which 99% were)
    stormGeneratorLagMsMax: Math.round(stormLag.max / 1e6),
    stormHubAnswers: stormAnswers,
    workerUsPerForwardedPacket: round1((workerCpuSeconds * 1e6) / forwardedPackets),
    ...(walls
      ? {
          wallStreams: wallFps.length,
          wallCameras: stations[0]?.known.size ?? 0,
          wallPlayableCameras: stations[0]?.playable ?? 0,
          wallFpsMin: round1(min(wallFps) ?? 0),
        }
      : {}),
    ...(programReport ? { program: programReport } : {}),
    ...(callsReport
      ? {
          sipCalls: {
            ...callsReport,
            // what the room systems receive: the program's picture (its frame rate on its RTP clock) and their mix-minus
            programFpsMin: round1(min(calls.map((c) => fps(c.program))) ?? 0),
            programLossPercentMax: round1(max(calls.map((c) => lossPercent(c.program))) ?? 0),
            mixLossPercentMax: round1(max(calls.map((c) => lossPercent(c.mix))) ?? 0),
            // what the SFU gets of their pictures, as the sites watching them receive them
            fromCallsWatched: watchedCalls.length,
            fromCallsFpsMin: round1(min(watchedCalls.map(fps)) ?? 0),
            fromCallsLossPercentMax: round1(max(watchedCalls.map(lossPercent)) ?? 0),
            callPacketsSentPerSecond: Math.round((after.callPackets - before.callPackets) / window),
          },
        }
      : {}),
    ...(recordCameras ? { camerasRecorded } : {}),
    ...(chromiumCount ? { chromium } : {}),
    ...(hub.nodes.length
      ? {
          nodes: hub.nodes.map((node, i) => {
            const [b, a] = [nodesBefore[i]!, nodesAfter[i]!];
            return {
              nodeId: node.nodeId,
              sites: media.sitesByNode[i],
              workerCpuPercent: round1((100 * (a.cpu.workers.cpuSeconds - b.cpu.workers.cpuSeconds)) / window),
              nodeCpuPercent: round1((100 * (a.cpu.node.cpuSeconds - b.cpu.node.cpuSeconds)) / window),
              pipeSentMbps: round1(((a.pipe.sent - b.pipe.sent) * 8) / window / 1e6),
              pipeReceivedMbps: round1(((a.pipe.received - b.pipe.received) * 8) / window / 1e6),
            };
          }),
        }
      : {}),
    // the meeting first: how often each node gave up the walls, then the thumbnails' frame rate, during the run
    shedStepsTaken: shedTaken,
    errors: errors.length,
  };
  if (errors.length) log(`errors:\n  ${errors.slice(0, 10).join('\n  ')}`);
  for (const site of synthetic) site.close();
  synthetic.length = 0;
  await browsers?.close();
  browsers = undefined;

  if (compareBare) {
    // the same fan-out (forwarded packets per packet the sites sent) and about the same packets per second
    const fanOut = Math.max(1, Math.round(forwardedPackets / ingressPackets));
    const bareSeconds = Math.min(seconds, 15);
    const bare = await bareForwardingCost(clip, {
      viewers: sites,
      fanOut,
      packetsPerSecond: result.forwardedPps as number,
      seconds: bareSeconds,
    });
    log(
      `bare mediasoup: ${bare.producers} simulcast cameras, ${bare.consumers} consumers of their top layer on ${sites} viewers' transports`,
    );
    result.bareProducers = bare.producers;
    result.bareConsumers = bare.consumers;
    result.bareForwardedPps = Math.round(bare.forwarded / bareSeconds);
    result.bareUsPerForwardedPacket = round1(bare.usPerPacket);
    result.hubVsBarePercent = Math.round((100 * bare.usPerPacket) / (result.workerUsPerForwardedPacket as number));
  }
  for (const [key, value] of Object.entries(result)) if (key !== 'chromium') log(`${key}: ${JSON.stringify(value)}`);
  if (chromiumCount) log(`chromium sites (videos decoding, large tile fps): ${JSON.stringify(chromium)}`);
  if (json) console.log(JSON.stringify(result));
} finally {
  clearInterval(pacer);
  for (const call of calls) call.hangUp();
  await program?.finish(0).catch(() => undefined);
  for (const site of synthetic) site.close();
  for (const station of stations) station.close();
  await browsers?.close();
  await hub.stop();
}

/**
 * The room systems dial the meeting with its conference ID and PIN, all at once, each from a loopback address of its
 * own; the calls that connect are paced from then on. Reports how many connected and, from the dial, when each had
 * the program's first whole key frame.
 */
async function dialRoomSystems(meetingId: string): Promise<Record<string, unknown>> {
  const { token } = await signIn(hub.base, 'chu-toa');
  const dialIn = await hubRequest<{ conferenceId: string; pin: string }>(hub.base, token, 'GET', `/api/meetings/${meetingId}/dial-in`);
  const clip = loadRoomSystemClip();
  log(`${sipCalls} room systems dial in over SIP`);
  const dialled = await Promise.allSettled(
    Array.from({ length: sipCalls }, (_, i) =>
      RoomSystemCall.dial({
        from: `127.0.1.${i + 1}`,
        hub: { address: '127.0.0.1', port: sip!.port },
        uri: `sip:${dialIn.conferenceId}*${dialIn.pin}@127.0.0.1:${sip!.port}`,
        clip,
      }),
    ),
  );
  for (const result of dialled) if (result.status === 'fulfilled') calls.push(result.value);
  const refused = dialled.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  if (refused.length) log(`${refused.length} calls did not connect:\n  ${refused.slice(0, 5).join('\n  ')}`);
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline && calls.some((call) => call.program.firstKeyFrameAt === undefined))
    await new Promise((r) => setTimeout(r, 100));
  const firstFrameMs = calls.flatMap((call) =>
    call.program.firstKeyFrameAt === undefined ? [] : [call.program.firstKeyFrameAt - call.dialledAt],
  );
  log(
    `${calls.length} calls connected; ${firstFrameMs.length} had the program's first key frame, the last ${roundOrNull(max(firstFrameMs))} ms after the dial`,
  );
  return {
    dialled: sipCalls,
    connected: calls.length,
    programDecodable: firstFrameMs.length,
    dialToProgramKeyFrameMsP50: firstFrameMs.length ? Math.round(percentile(firstFrameMs, 50)) : null,
    dialToProgramKeyFrameMsMax: roundOrNull(max(firstFrameMs)),
  };
}

/**
 * Counters of every received stream (sites, stations and room systems), what the sites and the room systems sent, and
 * the packets and bytes the sites and stations received (what the SFU forwarded).
 */
function snapshot() {
  const frames = new Map<ReceivedStream, number>();
  const timestamps = new Map<ReceivedStream, number>();
  const packets = new Map<ReceivedStream, number>();
  const expected = new Map<ReceivedStream, number>();
  let totalPackets = 0;
  let totalBytes = 0;
  const forwarded = [...synthetic.map((s) => s.receiver), ...stations.map((s) => s.receiver)].flatMap((receiver) => [
    ...receiver.streams.values(),
  ]);
  for (const stream of forwarded) {
    totalPackets += stream.packets;
    totalBytes += stream.bytes;
  }
  for (const stream of [...forwarded, ...calls.flatMap((call) => [call.program, call.mix])]) {
    frames.set(stream, stream.frames);
    timestamps.set(stream, stream.lastFrameTimestamp);
    packets.set(stream, stream.packets);
    expected.set(stream, stream.expected);
  }
  const sentPackets = synthetic.reduce((n, s) => n + (s.sender?.packetsSent ?? 0), 0);
  const callPackets = calls.reduce((n, call) => n + call.packetsSent, 0);
  return { frames, timestamps, packets, expected, totalPackets, totalBytes, sentPackets, callPackets, udpDrops: udpReceiveErrors() };
}

/** The hub registers its sample cameras as it starts: the stations open on the whole list. */
async function untilCamerasRegistered(base: string, cameras: number, timeoutMs: number): Promise<void> {
  const { token } = await signIn(base, 'giam-sat');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await hubRequest<unknown[]>(base, token, 'GET', '/api/cameras')).length >= cameras) return;
    if (performance.now() > deadline) throw new Error(`the hub registered fewer than ${cameras} cameras in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Until every station plays every camera (the hub registers and pulls its 37 as it starts). */
async function untilWallsPlay(all: WallStation[], cameras: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (all.some((station) => station.known.size < cameras || station.playing < station.playable)) {
    if (performance.now() > deadline)
      throw new Error(
        `wall stations play ${all.map((s) => s.playing).join(', ')} of ${cameras} cameras after ${timeoutMs / 1000} s: ${all
          .map(
            (s) =>
              `known ${s.known.size}, watching ${s.streams.size} (${[...s.streams.values()].map((r) => r.packets).join(' ')}), errors ${s.errors.join('; ')}`,
          )
          .join(' | ')}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`${all.length} wall stations play all ${all[0]?.playable} playable cameras of ${cameras}`);
}

/** Per site: ms from the storm's start to the first whole key frame on its large tile (undefined: none by the deadline). */
async function untilLargeTilesDecode(all: SyntheticSite[], from: number, timeoutMs: number): Promise<Array<number | undefined>> {
  const deadline = performance.now() + timeoutMs;
  const times = () => all.map((site) => site.largeStream?.firstKeyFrameAt);
  while (times().some((t) => t === undefined) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return times().map((t) => (t === undefined ? undefined : t - from));
}

/** The meeting's consumers in the SFU, summed over the nodes (each answers for its own sites), and each node's sites. */
async function mediaStats(
  bases: string[],
  meetingId: string,
): Promise<{
  consumers: { total: number; forwardedVideo: number; forwardedAudio: number };
  sitesByNode: number[];
  sitesByWorker: number[][];
}> {
  const consumers = { total: 0, forwardedVideo: 0, forwardedAudio: 0 };
  const sitesByNode: number[] = [];
  const sitesByWorker: number[][] = [];
  for (const base of bases) {
    const { token } = await signIn(base, 'chu-toa');
    const response = await fetch(`${base}/api/meetings/${meetingId}/media`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(60_000),
    });
    // a node none of whose sites is in the meeting has no room for it
    if (response.status === 404 && bases.length > 1) {
      sitesByNode.push(0);
      sitesByWorker.push([]);
      continue;
    }
    if (!response.ok) throw new Error(`GET ${base}/api/meetings/${meetingId}/media: ${response.status}`);
    const stats = (await response.json()) as {
      consumers: typeof consumers;
      sites: unknown[];
      routers: Array<{ workerIndex: number; peers: number }>;
    };
    for (const key of Object.keys(consumers) as Array<keyof typeof consumers>) consumers[key] += stats.consumers[key];
    sitesByNode.push(stats.sites.length);
    sitesByWorker.push([...stats.routers].sort((a, b) => a.workerIndex - b.workerIndex).map((router) => router.peers));
  }
  return { consumers, sitesByNode, sitesByWorker };
}

function max(values: number[]): number | undefined {
  return values.length ? Math.max(...values) : undefined;
}

function min(values: number[]): number | undefined {
  return values.length ? Math.min(...values) : undefined;
}

function roundOrNull(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value);
}

/** The kernel's count of UDP datagrams dropped for a full receive buffer (all sockets of this machine's namespace). */
function udpReceiveErrors(): number {
  const lines = fs
    .readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'));
  const names = lines[0]!.split(/\s+/);
  const values = lines[1]!.split(/\s+/);
  return Number(values[names.indexOf('RcvbufErrors')]);
}

/**
 * The hub's answer times by signalling event since it started (each node's `hub_signalling_event_seconds`,
 * summed): how many, their mean, and the histogram bound under which 99% of them were.
 */
async function signallingAnswers(bases: string[]): Promise<Record<string, { count: number; meanMs: number; p99UnderMs: number | null }>> {
  const buckets = new Map<string, Map<number, number>>();
  const sums = new Map<string, number>();
  for (const base of bases) {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(60_000) })).text();
    for (const [, labels, value] of text.matchAll(/^hub_signalling_event_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
      const event = /event="([^"]+)"/.exec(labels!)?.[1] ?? '';
      const le = Number(/le="([^"]+)"/.exec(labels!)?.[1]?.replace('+Inf', 'Infinity'));
      const byBound = buckets.get(event) ?? new Map<number, number>();
      byBound.set(le, (byBound.get(le) ?? 0) + Number(value));
      buckets.set(event, byBound);
    }
    for (const [, event, value] of text.matchAll(/^hub_signalling_event_seconds_sum\{event="([^"]+)"\} (\S+)$/gm))
      sums.set(event!, (sums.get(event!) ?? 0) + Number(value));
  }
  return Object.fromEntries(
    [...buckets].map(([event, byBound]) => {
      const bounds = [...byBound.keys()].sort((a, b) => a - b);
      const count = byBound.get(Infinity) ?? 0;
      const p99Bound = bounds.find((bound) => byBound.get(bound)! >= 0.99 * count);
      return [
        event,
        {
          count,
          meanMs: count ? Math.round(((sums.get(event) ?? 0) / count) * 1000) : 0,
          p99UnderMs: p99Bound === undefined || p99Bound === Infinity ? null : Math.round(p99Bound * 1000),
        },
      ];
    }),
  );
}

/** Times the hub (each node, summed) took each load-shedding step since it started (its metrics). */
async function shedStepsTaken(bases: string[]): Promise<Record<ShedStep, number>> {
  const taken = Object.fromEntries(shedSteps.map((step) => [step, 0])) as Record<ShedStep, number>;
  for (const base of bases) {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(60_000) })).text();
    for (const step of shedSteps)
      taken[step] += Number(new RegExp(`^hub_load_shed_taken_total\\{step="${step}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  }
  return taken;
}
