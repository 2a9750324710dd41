import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaServer } from '../../media-server/index.js';
import { openDatabase, seedSampleData, type Database } from '../../prisma/index.js';
import { buildApp, type HubApp } from '../../hub/index.js';
import { HttpsRedirect, LocalCertificateAuthority, hubTlsMaterial } from '../../tls/index.js';
import { tempSqliteUrl } from './helpers.js';
import { testTempDir } from '../support/tempDirs.js';

const dayMs = 86_400_000;
const identity = { hostNames: ['hub-test', 'localhost'], addresses: ['127.0.0.1', '::1'] };

describe('the hub’s own certificate authority', () => {
  it('creates a long-lived CA and a server certificate for the machine’s names and addresses, keys private', () => {
    const dir = testTempDir('hub-ca-');
    const issued = new LocalCertificateAuthority({ dir }).ensure(identity);
    const ca = new X509Certificate(fs.readFileSync(issued.caCertFile));
    const cert = new X509Certificate(fs.readFileSync(issued.certFile));
    expect(ca.ca).toBe(true);
    expect(new Date(ca.validTo).getTime() - Date.now()).toBeGreaterThan(3649 * dayMs);
    expect(cert.ca).toBe(false);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toBe('DNS:hub-test, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkHost('hub-test')).toBe('hub-test');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    // browsers refuse server certificates valid for more than 398 days
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(398 * dayMs);
    for (const key of ['ca.key', 'server.key']) expect(fs.statSync(path.join(dir, key)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
  });

  it('keeps its certificate while it is good, and reissues it for a new address or before it expires', () => {
    const dir = testTempDir('hub-ca-');
    const serial = (file: string) => new X509Certificate(fs.readFileSync(file)).serialNumber;
    const first = new LocalCertificateAuthority({ dir }).ensure(identity);
    const caSerial = serial(first.caCertFile);
    const firstSerial = serial(first.certFile);
    expect(serial(new LocalCertificateAuthority({ dir }).ensure(identity).certFile)).toBe(firstSerial);

    const moved = new LocalCertificateAuthority({ dir }).ensure({ ...identity, addresses: [...identity.addresses, '10.20.0.5'] });
    expect(serial(moved.certFile)).not.toBe(firstSerial);
    expect(new X509Certificate(fs.readFileSync(moved.certFile)).checkIP('10.20.0.5')).toBe('10.20.0.5');
    const movedSerial = serial(moved.certFile);

    const nearExpiry = () => new Date(moved.validTo.getTime() - 10 * dayMs);
    const renewed = new LocalCertificateAuthority({ dir, now: nearExpiry }).ensure({
      ...identity,
      addresses: [...identity.addresses, '10.20.0.5'],
    });
    expect(serial(renewed.certFile)).not.toBe(movedSerial);
    // the CA a bridge point trusts stays the same throughout
    expect(serial(renewed.caCertFile)).toBe(caSerial);
  });

  it('starts again after a start cut off while writing its files: an empty server key or CA is made anew, never used', () => {
    const dir = testTempDir('hub-ca-');
    const first = new LocalCertificateAuthority({ dir }).ensure(identity);
    const serial = (file: string) => new X509Certificate(fs.readFileSync(file)).serialNumber;
    const caSerial = serial(first.caCertFile);
    const firstSerial = serial(first.certFile);

    // the server's key cut off: a new key and certificate, under the same CA
    fs.writeFileSync(first.keyFile, '-----BEGIN PRIVATE KEY-----\nMIGH');
    const rekeyed = new LocalCertificateAuthority({ dir }).ensure(identity);
    expect(serial(rekeyed.certFile)).not.toBe(firstSerial);
    expect(serial(rekeyed.caCertFile)).toBe(caSerial);
    expect(new X509Certificate(fs.readFileSync(rekeyed.certFile)).checkPrivateKey(createPrivateKey(fs.readFileSync(rekeyed.keyFile)))).toBe(
      true,
    );

    // the CA's certificate left empty (as openssl's -out leaves it until it writes): a CA made again, and its certificate issued
    fs.writeFileSync(first.caCertFile, '');
    const remade = new LocalCertificateAuthority({ dir }).ensure(identity);
    const ca = new X509Certificate(fs.readFileSync(remade.caCertFile));
    expect(ca.ca).toBe(true);
    expect(new X509Certificate(fs.readFileSync(remade.certFile)).verify(ca.publicKey)).toBe(true);
    // whole files only, nothing half-made left beside them
    expect(fs.readdirSync(dir).sort()).toEqual(['ca.crt', 'ca.key', 'server.crt', 'server.key']);
  });
});

describe('HTTPS', () => {
  let database: Database;
  let media: MediaServer;
  let app: HubApp;
  let redirect: HttpsRedirect;
  let port: number;
  let ca: Buffer;

  beforeAll(async () => {
    const tls = hubTlsMaterial({ hostNames: [], dir: testTempDir('hub-tls-') });
    ca = tls.caCertificate!;
    database = await openDatabase({ provider: 'sqlite', url: tempSqliteUrl() });
    await seedSampleData(database.prisma);
    media = await MediaServer.create({ numWorkers: 1, listenIp: '127.0.0.1', rtcMinPort: 47000, rtcMaxPort: 47999, peersPerRouter: 200 });
    app = await buildApp({
      prisma: database.prisma,
      media,
      logLevel: 'silent',
      https: tls,
      caCertificate: tls.caCertificate,
      cameraKeyFile: path.join(testTempDir('hub-key-'), 'camera.key'),
    });
    await app.http.listen({ port: 0, host: '127.0.0.1' });
    port = (app.http.server.address() as AddressInfo).port;
    redirect = await HttpsRedirect.listen({ port: 0, host: '127.0.0.1', httpsPort: port });
  });
  afterAll(async () => {
    await redirect?.close();
    await app?.http.close();
    await media?.close();
    await database?.close();
  });

  function get(
    url: string,
    options: https.RequestOptions = {},
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      https
        .get(url, options, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
        })
        .on('error', reject);
    });
  }

  it('is trusted with the hub’s CA (and only with it), with HSTS and a Content-Security-Policy', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const response = await get(`https://${host}:${port}/api/health`, { ca });
      expect(response.status).toBe(200);
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['content-security-policy']).toContain('upgrade-insecure-requests');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    await expect(get(`https://127.0.0.1:${port}/api/health`)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('offers its CA certificate for download at /ca.crt', async () => {
    const response = await get(`https://127.0.0.1:${port}/ca.crt`, { ca });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(response.body).toBe(ca.toString('utf8'));
  });

  it('carries socket.io over wss', async () => {
    const socket = io(`https://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, ca: ca.toString('utf8') });
    try {
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      // reached the server over TLS: it asks for a sign-in, which is the hub speaking
      expect(error.message).toBe('UNAUTHENTICATED');
    } finally {
      socket.disconnect();
    }
  });

  it('redirects plain HTTP to the same address over HTTPS', async () => {
    const response = await fetch(`http://127.0.0.1:${redirect.port}/reports?year=2025`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`https://127.0.0.1:${port}/reports?year=2025`);
    const missingHost = await new Promise<string>((resolve) => {
      const socket = net.connect(redirect.port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
    });
    expect(missingHost).toMatch(/^HTTP\/1\.1 400/);
  });
});
