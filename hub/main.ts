import dns from 'node:dns/promises';
import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadHubConfig, type HubConfig, type RecordingConfig } from '../config/index.js';
import { MediaServer } from '../media-server/index.js';
import {
  defaultSamplePassword,
  disableSamplePasswordAccounts,
  ensureFirstAdmin,
  openDatabase,
  sampleBridgePoints,
  seedSampleData,
  seedYear,
  type Db,
} from '../prisma/index.js';
import type { SampleCameraProcess } from '../camera-gateway/simulator/index.js';
import { defaultOfficeHours, defaultRecordingOptions, type CameraGateway, type RecordingOptions } from '../camera-gateway/index.js';
import { HttpsRedirect, hubTlsMaterial } from '../tls/index.js';
import { hubTurnAccess, startHubTurn } from '../turn/index.js';
import { buildApp } from './app.js';
import { listenText, startGreeting } from './startGreeting.js';
import type { OwnService } from './destinations/index.js';

/** However a stop goes, the process is gone this long after the signal (systemd's and operators' expectation). */
const stopDeadlineMs = 9000;

/** Starts the hub: configuration checked, database (migrated), SFU workers, HTTP + socket.io. Configuration: docs/configuration.md. */
async function main(): Promise<void> {
  const config = loadHubConfig();
  const database = await openDatabase(config.database);
  if (config.sampleData) {
    await seedSampleData(database.prisma, config.samplePassword);
    // A new database also gets last year's meetings, so the secretariat's reports have something to show.
    if ((await database.prisma.meeting.count()) === 0) await seedYear(database.prisma, { year: new Date().getFullYear() - 1 });
  } else {
    await secureAccounts(database.prisma, config);
  }
  const media = await MediaServer.create(config.media);
  const tls = config.tls.enabled ? hubTlsMaterial(config.tls) : undefined;
  const turn = config.turn.enabled ? hubTurnAccess(config.turn, Boolean(tls)) : undefined;
  const { http, cameras } = await buildApp({
    https: tls,
    turn,
    caCertificate: tls?.caCertificate,
    prisma: database.prisma,
    media,
    clientDir: config.clientDir,
    logLevel: config.logLevel,
    cameraKey: config.cameraCredentialsKey,
    cameraSubnets: config.cameraSubnets,
    trustedProxies: config.trustedProxies,
    outputAllowed: config.outputAllowed,
    feedAllowed: config.feedAllowed,
    ownServices: ownServices(config),
    cameraKeyFile: config.cameraCredentialsKeyFile,
    recording: recordingOptions(config.recording),
    cameraMotion: { enabled: config.cameraAnalysis },
    counterAttendance: { unattendedAfterMs: config.counterUnattendedMs },
    feeds: config.feeds,
    // SIP over TLS with the hub's certificate, the web's (its own CA's, or the operator's) even when the web is plain
    // HTTP behind a proxy that ends TLS: a call's SDES keys must not cross the network in clear
    sip: config.sip.enabled ? { ...config.sip, tls: { port: config.sip.tlsPort, ...(tls ?? hubTlsMaterial(config.tls)) } } : undefined,
    cluster: config.cluster,
    program: { recordingsDir: config.meetingRecordingsDir, minFreeBytes: config.recording.minFreeBytes },
    agendaDocumentMaxBytes: config.agendaDocumentMaxBytes,
    provinceName: config.provinceName,
    metricsToken: config.metricsToken,
    sessions: config.sessions,
    loginThrottle: config.loginThrottle,
    allowedOrigins: config.allowedOrigins,
    demo: config.sampleData,
  });
  // a rejection nobody handled is a bug to fix, not a reason to drop every meeting: say so loudly, keep serving
  process.on('unhandledRejection', (reason) =>
    http.log.fatal({ err: reason }, 'unhandled promise rejection (a bug): the hub keeps running'),
  );
  await http.listen({
    port: config.http.port,
    host: config.http.host,
    listenTextResolver: (address) => listenText(address, Boolean(tls)),
  });
  const { redirectPort } = config.http;
  const redirect =
    tls && redirectPort !== undefined
      ? await HttpsRedirect.listen({ port: redirectPort, host: config.http.host, httpsPort: config.http.port })
      : undefined;
  if (tls?.validTo) http.log.info({ validTo: tls.validTo, caCertificate: '/ca.crt' }, 'HTTPS with the hub’s own certificate authority');
  const relay = turn
    ? await startHubTurn(config.turn, tls, await mediaAddresses(config.media), (line) => http.log.debug({ coturn: line }))
    : undefined;
  const farm = config.sampleCameras ? await startSampleCameras(cameras, http.log) : undefined;

  // socket.io first (its preClose hook tells the sites the hub restarts and ends their presences now),
  // then the relay, the sample cameras, the workers and the database
  const shutdown = async () => {
    await http.close();
    await relay?.close();
    await redirect?.close();
    await farm?.close();
    await media.close();
    await database.close();
  };
  let stopping = false;
  // once or twice, to the process or its group (npm start forwards a Ctrl-C to the whole group): one stop
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      http.log.warn({ signal }, 'already stopping');
      return;
    }
    stopping = true;
    http.log.info({ signal }, 'stopping: sites are told the hub restarts');
    setTimeout(() => {
      http.log.error({ signal, afterMs: stopDeadlineMs }, 'stopping took too long: exiting now');
      process.exit(1);
    }, stopDeadlineMs).unref();
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        http.log.error({ err: error, signal }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // for the operator's terminal (stderr, not the structured log on stdout)
  for (const line of startGreeting({
    https: Boolean(tls),
    host: config.http.host,
    port: config.http.port,
    samplePassword: config.sampleData ? config.samplePassword : undefined,
    defaultSamplePassword,
  }))
    console.error(line);
}

/** The addresses the hub's media answer on (what browsers' candidates name): a name is resolved, `0.0.0.0` is every interface's. */
async function mediaAddresses(media: HubConfig['media']): Promise<string[]> {
  const addresses = new Set<string>();
  if (media.announcedAddress) for (const { address } of await dns.lookup(media.announcedAddress, { all: true })) addresses.add(address);
  if (media.listenIp === '0.0.0.0' || media.listenIp === '::')
    for (const nics of Object.values(os.networkInterfaces())) for (const nic of nics ?? []) addresses.add(nic.address);
  else addresses.add(media.listenIp);
  return [...addresses];
}

/** The hub's own services besides its HTTP port: never a destination of an output nor the source of a feed. */
function ownServices(config: HubConfig): OwnService[] {
  const one = (port: number): [number, number] => [port, port];
  const services: OwnService[] = [
    { ports: [config.feeds.minPort, config.feeds.maxPort] },
    { ports: [config.media.rtcMinPort, config.media.rtcMaxPort] },
  ];
  if (config.http.redirectPort !== undefined) services.push({ ports: one(config.http.redirectPort) });
  if (config.media.webRtcServerPort !== undefined) services.push({ ports: one(config.media.webRtcServerPort) });
  if (config.sip.enabled)
    services.push({ ports: one(config.sip.port) }, { ports: one(config.sip.tlsPort) }, { ports: one(config.sip.bfcpPort) });
  if (config.turn.enabled)
    services.push(
      { ports: one(config.turn.port) },
      { ports: one(config.turn.tlsPort) },
      { ports: [config.turn.relayMinPort, config.turn.relayMaxPort] },
    );
  for (const [url, defaultPort] of [
    [config.cluster?.redisUrl, 6379],
    [config.database.provider === 'postgresql' ? config.database.url : undefined, 5432],
  ] as const) {
    if (!url) continue;
    const parsed = new URL(url);
    services.push({ host: parsed.hostname, ports: one(parsed.port ? Number(parsed.port) : defaultPort) });
  }
  return services;
}

/** Outside sample mode: no account keeps a sample password, and there is an admin (its password printed once). */
async function secureAccounts(prisma: Db, config: HubConfig): Promise<void> {
  const disabled = await disableSamplePasswordAccounts(prisma, [...new Set([defaultSamplePassword, config.samplePassword])]);
  if (disabled.length > 0)
    console.warn(
      `Disabled ${disabled.length} account(s) that still had the sample password (an admin resets them): ${disabled.join(', ')}`,
    );
  const admin = await ensureFirstAdmin(prisma, config.adminPassword);
  if (admin?.generatedPassword)
    // printed once, on stderr (the operator's terminal or the journal), never on stdout with the structured log
    console.error(
      [
        '',
        '  The hub has no admin yet: created one.',
        `    username: ${admin.username}`,
        `    password: ${admin.generatedPassword}`,
        '  It is shown only now and must be changed at the first sign-in.',
        '',
      ].join('\n'),
    );
  else if (admin)
    console.error(`The hub has no admin yet: created ${admin.username} with ADMIN_PASSWORD (change it at the first sign-in).`);
}

/**
 * The 37 one-stop counters' cameras, simulated (RTSP + ONVIF) in a process of their own on fixed local
 * ports, so the registered addresses stay valid across restarts; registered on first start. Nothing is probed.
 * Loaded only in sample mode: a real deployment's server never evaluates the simulator.
 */
async function startSampleCameras(cameras: CameraGateway, log: FastifyBaseLogger): Promise<SampleCameraProcess> {
  const communes = sampleBridgePoints.filter((p) => p.level === 'COMMUNE').map((p) => p.name.replace(/^UBND /, ''));
  const { SampleCameraProcess } = await import('../camera-gateway/simulator/index.js');
  const { process: farm, cameras: sample } = await SampleCameraProcess.start({
    cameras: 37,
    rtspBasePort: 8554,
    onvifPort: 8600,
    h265Cameras: [37],
    communes,
  });
  farm.on('exited', (reason, restartInMs) => log.error({ reason, restartInMs }, 'the sample cameras stopped: starting them again'));
  farm.on('restarted', (pid) => log.warn({ pid }, 'the sample cameras run again'));
  if (cameras.list().length === 0) {
    // the wall's cameras: their streams stay warm, so a station opens onto moving pictures
    for (const camera of sample) await cameras.add({ ...camera, pinned: true });
  }
  return farm;
}

main().catch((error: unknown) => {
  // a configuration mistake is the operator's to fix: say which variables, without a stack trace
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

/** The environment's recording settings over the defaults (office hours: the province's week). */
function recordingOptions(config: RecordingConfig): RecordingOptions {
  const { officePeriods, holidays, ...rest } = config;
  return {
    ...defaultRecordingOptions,
    ...rest,
    officeHours: { ...defaultOfficeHours, periods: officePeriods ?? defaultOfficeHours.periods, holidays },
  };
}
