import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, detectLanAddress, hubEnvironmentVariables, loadHubConfig } from '../../config/index.js';
import { projectRoot } from '../../prisma/index.js';
import { serverEntrySource } from '../../scripts/server-build.mjs';

/** The variable names in a configuration page's table (first column, each in backticks). */
function documentedVariables(page: 'configuration.md' | 'vi/cau-hinh.md'): string[] {
  const text = fs.readFileSync(path.join(projectRoot, 'docs', page), 'utf8');
  const rows = text.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) => [...row.split('|')[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!));
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadHubConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration from the environment', () => {
  it('lists in docs/configuration.md exactly the variables the schema reads', () => {
    expect(documentedVariables('configuration.md').sort()).toEqual([...hubEnvironmentVariables].sort());
  });

  it('lists the same variables in the IT staff’s Vietnamese page (docs/vi/cau-hinh.md)', () => {
    expect(documentedVariables('vi/cau-hinh.md').sort()).toEqual([...hubEnvironmentVariables].sort());
  });

  it('starts from documented defaults; an empty value counts as unset', () => {
    const config = loadHubConfig({ PORT: '', MEDIA_WORKERS: '' });
    expect(config.http).toEqual({ port: 3000, host: '0.0.0.0', redirectPort: 3080 });
    expect(config.tls).toEqual({ enabled: true, hostNames: [], dir: path.join(projectRoot, 'data', 'tls') });
    expect(config.database).toEqual({ provider: 'sqlite', url: path.join(projectRoot, 'data', 'hub.db') });
    // across the LAN by default: every interface, the LAN address announced, one UDP + one TCP port per worker
    expect(config.media).toMatchObject({
      listenIp: '0.0.0.0',
      rtcMinPort: 41000,
      rtcMaxPort: 49999,
      webRtcServerPort: 40000,
    });
    // no cap by default: meetings spread over the workers by their load
    expect(config.media.peersPerRouter).toBeUndefined();
    expect(config.media.announcedAddress).toBe(detectLanAddress() ?? '127.0.0.1');
    expect(loadHubConfig({ MEDIA_LISTEN_IP: '127.0.0.1' }).media.announcedAddress).toBeUndefined();
    expect(loadHubConfig({ MEDIA_WEBRTC_SERVER_PORT: 'off' }).media.webRtcServerPort).toBeUndefined();
    // real use unless sample mode is asked for: no sample account, and no sample camera (they are sample data)
    expect(config).toMatchObject({ sampleData: false, sampleCameras: false, samplePassword: 'hop-truc-tuyen', logLevel: 'info' });
    expect(loadHubConfig({ SEED_SAMPLE_DATA: '' }).sampleData).toBe(false);
    expect(loadHubConfig({ SEED_SAMPLE_DATA: 'true' })).toMatchObject({ sampleData: true, sampleCameras: true });
    expect(config.cameraCredentialsKey).toBeUndefined();
    expect(config.dataDir).toBe(path.join(projectRoot, 'data'));
    expect(config.turn).toMatchObject({
      enabled: true,
      port: 3478,
      tlsPort: 5349,
      relayMinPort: 50000,
      relayMaxPort: 50999,
      host: config.media.announcedAddress,
    });
    expect(config.turn.secret).toBeUndefined();
    const elsewhere = loadHubConfig({ DATA_DIR: '/srv/hub', TURN_HOST: 'hop.angiang.gov.vn' });
    expect(elsewhere.database.url).toBe('/srv/hub/hub.db');
    expect(elsewhere.tls.dir).toBe('/srv/hub/tls');
    expect(elsewhere.turn).toMatchObject({ dir: '/srv/hub/turn', host: 'hop.angiang.gov.vn' });
  });

  it('reads every setting it is given', () => {
    const readme = path.join(projectRoot, 'README.md');
    const key = 'ab'.repeat(32);
    const config = loadHubConfig({
      PORT: '8443',
      HTTP_REDIRECT_PORT: '8080',
      TLS_CERT: readme,
      TLS_KEY: readme,
      TLS_HOSTNAMES: 'hop.angiang.gov.vn, hub',
      HOST: '10.0.0.5',
      DATABASE_URL: 'postgresql://hub:hub@db/hub',
      SEED_SAMPLE_DATA: 'true',
      SAMPLE_CAMERAS: 'false',
      CAMERA_CREDENTIALS_KEY: key,
      MEDIA_WORKERS: '3',
      MEDIA_LISTEN_IP: '0.0.0.0',
      MEDIA_ANNOUNCED_ADDRESS: 'hop.angiang.gov.vn',
      MEDIA_RTC_MIN_PORT: '41000',
      MEDIA_RTC_MAX_PORT: '41999',
      MEDIA_WEBRTC_SERVER_PORT: '44444',
      MEDIA_PEERS_PER_ROUTER: '50',
      LOG_LEVEL: 'warn',
    });
    expect(config.http).toEqual({ port: 8443, host: '10.0.0.5', redirectPort: 8080 });
    expect(config.tls).toMatchObject({ enabled: true, certFile: readme, keyFile: readme, hostNames: ['hop.angiang.gov.vn', 'hub'] });
    expect(loadHubConfig({ TLS: 'off' }).http.redirectPort).toBeUndefined();
    expect(loadHubConfig({ HTTP_REDIRECT_PORT: 'off' }).http.redirectPort).toBeUndefined();
    expect(config.database).toEqual({ provider: 'postgresql', url: 'postgresql://hub:hub@db/hub' });
    expect(config.media).toMatchObject({
      numWorkers: 3,
      listenIp: '0.0.0.0',
      announcedAddress: 'hop.angiang.gov.vn',
      rtcMinPort: 41000,
      rtcMaxPort: 41999,
      webRtcServerPort: 44444,
      peersPerRouter: 50,
    });
    expect(config.sampleCameras).toBe(false);
    expect(config.cameraCredentialsKey?.toString('hex')).toBe(key);
    // cameras are sample data: none without it
    expect(loadHubConfig({ SEED_SAMPLE_DATA: 'false' }).sampleCameras).toBe(false);
  });

  it('finds the LAN address: a private IPv4 one first, never loopback', () => {
    const nic = (address: string, internal = false) => ({ address, internal, family: 'IPv4' as const, netmask: '', mac: '', cidr: null });
    expect(detectLanAddress({ lo: [nic('127.0.0.1', true)], eth0: [nic('203.0.113.7')], eth1: [nic('10.20.0.5')] })).toBe('10.20.0.5');
    expect(detectLanAddress({ lo: [nic('127.0.0.1', true)], eth0: [nic('203.0.113.7')] })).toBe('203.0.113.7');
    expect(detectLanAddress({ lo: [nic('127.0.0.1', true)] })).toBeUndefined();
  });

  it('names every bad variable at once, with what is wrong and the value given', () => {
    const problems = problemsOf({
      PORT: '80a',
      SEED_SAMPLE_DATA: 'yes',
      MEDIA_LISTEN_IP: 'may-chu',
      MEDIA_RTC_MIN_PORT: '50000',
      MEDIA_RTC_MAX_PORT: '40000',
      CAMERA_CREDENTIALS_KEY: 'abc',
      MEDIA_WORKERS: '0',
      MEDIASOUP_WORKER_BIN: '/nowhere/mediasoup-worker',
      LOG_LEVEL: 'loud',
      TLS: 'yes',
      TLS_CERT: '/nowhere/cert.pem',
    });
    expect(problems).toEqual([
      'PORT: must be a whole number (got "80a")',
      'TLS: must be on or off (got "yes")',
      'TLS_CERT: must name a readable file (got "/nowhere/cert.pem")',
      'SEED_SAMPLE_DATA: must be true or false (got "yes")',
      'CAMERA_CREDENTIALS_KEY: must be 64 hex digits (a 256-bit key) (got "…hidden…")',
      'MEDIA_WORKERS: must be at least 1 (got "0")',
      'MEDIA_LISTEN_IP: must be an IPv4 or IPv6 address (got "may-chu")',
      'MEDIASOUP_WORKER_BIN: must name an executable mediasoup-worker file (got "/nowhere/mediasoup-worker")',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
    expect(problemsOf({ TLS_CERT: path.join(projectRoot, 'README.md') })).toEqual(['TLS_KEY: TLS_CERT and TLS_KEY go together']);
    // several nodes: Redis with its password, and the secret sealing the nodes' messages; neither ever shown
    expect(problemsOf({ REDIS_URL: 'redis://10.0.0.9:6379', CLUSTER_SECRET: 'ngan-qua' })).toEqual([
      'CLUSTER_SECRET: must be at least 32 characters, the same on every node (got "…hidden…")',
      'REDIS_URL: must carry Redis’s password (redis://:password@host:port): anyone who can publish on Redis could act as a node (got "redis://10.0.0.9:6379")',
    ]);
    expect(problemsOf({ REDIS_URL: 'redis://:mat-khau-redis@10.0.0.9:6379' })).toEqual([
      'CLUSTER_SECRET: is needed with REDIS_URL: the nodes seal their messages with it',
    ]);
    expect(
      problemsOf({
        REDIS_URL: 'http://:mat-khau-redis@10.0.0.9',
        DATABASE_URL: 'postgresql://hub:mat-khau-db@db/hub',
        SAMPLE_PASSWORD: '',
      }),
    ).toEqual([
      'REDIS_URL: must be redis://:password@host:port (got "http://:***@10.0.0.9/")',
      'CLUSTER_SECRET: is needed with REDIS_URL: the nodes seal their messages with it',
    ]);
    const cluster = loadHubConfig({
      REDIS_URL: 'redis://:mat-khau-redis@10.0.0.9:6379',
      CLUSTER_SECRET: 'k'.repeat(32),
      NODE_ID: 'node1',
    }).cluster;
    expect(cluster).toMatchObject({ redisUrl: 'redis://:mat-khau-redis@10.0.0.9:6379', clusterSecret: 'k'.repeat(32), nodeId: 'node1' });
    expect(problemsOf({ MEDIA_RTC_MIN_PORT: '50000', MEDIA_RTC_MAX_PORT: '40000' })).toEqual([
      'MEDIA_RTC_MAX_PORT: must not be below MEDIA_RTC_MIN_PORT (50000) (got "40000")',
    ]);
    expect(problemsOf({ LOAD_SHED_HIGH_PERCENT: '150', LOAD_SHED_LOW_PERCENT: 'thấp' })).toEqual([
      'LOAD_SHED_HIGH_PERCENT: must be 1–100 or off (got "150")',
      'LOAD_SHED_LOW_PERCENT: must be a whole number (got "thấp")',
    ]);
    expect(problemsOf({ LOAD_SHED_HIGH_PERCENT: '50', LOAD_SHED_LOW_PERCENT: '70' })).toEqual([
      'LOAD_SHED_LOW_PERCENT: must not be above LOAD_SHED_HIGH_PERCENT (50) (got "70")',
    ]);
  });

  it('gives up the walls, then the thumbnails, at 85% of a core by default; off gives up nothing', () => {
    expect(loadHubConfig({}).media.loadShedding).toEqual({ highPercent: 85, lowPercent: 60 });
    expect(loadHubConfig({ LOAD_SHED_HIGH_PERCENT: 'off' }).media.loadShedding).toEqual({ highPercent: Infinity, lowPercent: 60 });
    expect(loadHubConfig({ LOAD_SHED_HIGH_PERCENT: '95', LOAD_SHED_LOW_PERCENT: '70' }).media.loadShedding).toEqual({
      highPercent: 95,
      lowPercent: 70,
    });
  });

  it('stops the hub at start-up with that list, before opening anything', () => {
    const tsx = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const result = spawnSync(process.execPath, [tsx, path.join(projectRoot, serverEntrySource)], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PORT: '80a', LOG_LEVEL: 'loud', DATABASE_URL: '/nonexistent-dir/never-created.db' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('invalid configuration (see docs/configuration.md)');
    expect(result.stderr).toContain('PORT: must be a whole number (got "80a")');
    expect(result.stderr).toContain('LOG_LEVEL: must be one of');
    expect(result.stderr).not.toContain('    at ');
    expect(fs.existsSync('/nonexistent-dir')).toBe(false);
  });
});
