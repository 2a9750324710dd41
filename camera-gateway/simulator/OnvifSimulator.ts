import { createHash, randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseStringPromise } from 'xml2js';

export interface SimulatedCamera {
  id: string;
  name: string;
  location: string;
  username: string;
  password: string;
  /** RTSP URIs the camera's two profiles answer with. */
  streams: { main: string; sub: string };
  encoding: 'H264' | 'H265';
  ptz: boolean;
  presets: Array<{ token: string; name: string }>;
  /** What GetSnapshotUri answers: the camera's own snapshot by default; tests give a hostile device another. */
  snapshotUri?: string;
  /** How the snapshot asks for credentials, as real cameras do: digest (the default) or basic. */
  snapshotAuth?: 'digest' | 'basic';
}

export interface PtzCall {
  cameraId: string;
  command: 'ContinuousMove' | 'Stop' | 'GotoPreset';
  profileToken: string;
  detail: Record<string, string>;
}

/** What a simulated camera can report through its ONVIF events, and the topic and data item it uses (as a Hikvision or Dahua does). */
export type SimulatedEvent = 'motion' | 'tamper' | 'videoLoss';
const eventTopics: Record<SimulatedEvent, { topic: string; item: string }> = {
  motion: { topic: 'tns1:RuleEngine/CellMotionDetector/Motion', item: 'IsMotion' },
  tamper: { topic: 'tns1:RuleEngine/TamperDetector/Tamper', item: 'IsTamper' },
  videoLoss: { topic: 'tns1:VideoSource/SignalLoss', item: 'State' },
};
/** The longest a PullMessages waits for something to happen (a camera caps the client's Timeout). */
const maxPullWaitMs = 5000;

interface PullPoint {
  cameraId: string;
  queue: string[];
  /** A PullMessages waiting for a notification. */
  waiting?: () => void;
}

const wsDiscovery = { address: '239.255.255.250', port: 3702 };
const preAuth = new Set(['GetSystemDateAndTime', 'GetCapabilities']);

/**
 * ONVIF devices for tests and sample data: one HTTP server answering the SOAP calls the gateway
 * makes (device, media and PTZ services, WS-Security digest checked), a JPEG snapshot behind HTTP
 * digest (or basic) auth, and a WS-Discovery responder on UDP 3702 when asked to.
 */
export class OnvifSimulator {
  readonly ptzCalls: PtzCall[] = [];
  /** Every snapshot request, with the Authorization it carried (a test checks credentials come only when asked). */
  readonly snapshotRequests: Array<{ cameraId: string; authorization: string | undefined }> = [];
  readonly #nonces = new Set<string>();
  readonly #cameras: Map<string, SimulatedCamera>;
  readonly #snapshot: Buffer;
  readonly #host: string;
  // like a camera's web server: a request it fails on gets a 500, never a crash
  readonly #server = http.createServer((req, res) => {
    this.#handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else fault(res, 500, 'ter:Action', error instanceof Error ? error.message : String(error));
    });
  });
  readonly #endpoints = new Map<string, string>();
  readonly #pullPoints = new Map<string, PullPoint>();
  /** PullPoint subscriptions made, per camera (a test checks the hub subscribed). */
  readonly subscriptions = new Map<string, number>();
  #discovery?: dgram.Socket;

  constructor(cameras: SimulatedCamera[], options: { host?: string; snapshot: Buffer }) {
    this.#cameras = new Map(cameras.map((c) => [c.id, c]));
    for (const c of cameras) this.#endpoints.set(c.id, `urn:uuid:${randomUUID()}`);
    this.#host = options.host ?? '127.0.0.1';
    this.#snapshot = options.snapshot;
  }

  async start(port = 0, options: { discovery?: boolean } = {}): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(port, this.#host, resolve));
    if (options.discovery) await this.#startDiscovery();
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The device service address of a camera (what an admin types in, or discovery finds). */
  xaddr(cameraId: string): string {
    return `http://${this.#host}:${this.port}/onvif/${cameraId}/device_service`;
  }

  /** Camera `cameraId` reports an event beginning (active) or ending to every PullPoint subscribed to it. */
  raise(cameraId: string, event: SimulatedEvent, active: boolean): void {
    const { topic, item } = eventTopics[event];
    const notification = `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${topic}</wsnt:Topic><wsnt:Message><tt:Message UtcTime="${new Date().toISOString()}" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc"/></tt:Source><tt:Data><tt:SimpleItem Name="${item}" Value="${active}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;
    for (const point of this.#pullPoints.values()) {
      if (point.cameraId !== cameraId) continue;
      point.queue.push(notification);
      point.waiting?.();
    }
  }

  async stop(): Promise<void> {
    for (const point of this.#pullPoints.values()) point.waiting?.();
    this.#pullPoints.clear();
    this.#discovery?.close();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #startDiscovery(): Promise<void> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    this.#discovery = socket;
    // a camera does not answer a probe it cannot read or reply to (e.g. while shutting down)
    socket.on('message', (message, sender) => {
      this.#answerProbe(message.toString('utf8'), sender).catch(() => undefined);
    });
    await new Promise<void>((resolve) => socket.bind(wsDiscovery.port, resolve));
    socket.addMembership(wsDiscovery.address);
  }

  async #answerProbe(xml: string, sender: dgram.RemoteInfo): Promise<void> {
    const envelope = await parseSoap(xml).catch(() => null);
    const messageId = envelope?.Header?.MessageID;
    if (!envelope?.Body?.Probe || typeof messageId !== 'string') return;
    for (const camera of this.#cameras.values()) {
      const scopes = [
        'onvif://www.onvif.org/type/video_encoder',
        `onvif://www.onvif.org/name/${camera.name.replace(/\s+/g, '_')}`,
        `onvif://www.onvif.org/location/${encodeURIComponent(camera.location)}`,
        'onvif://www.onvif.org/hardware/SIM-IPC',
      ].join(' ');
      const reply = `<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
<s:Header><a:MessageID>uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${messageId}</a:RelatesTo><a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header>
<s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>${this.#endpoints.get(camera.id)}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>${scopes}</d:Scopes><d:XAddrs>${this.xaddr(camera.id)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`;
      this.#discovery?.send(reply, sender.port, sender.address);
    }
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const match = /^\/onvif\/([^/]+)\/(device_service|media_service|ptz_service|event_service|subscription\/[\w-]+|snapshot\.jpg)$/.exec(
      req.url ?? '',
    );
    const camera = match ? this.#cameras.get(match[1]!) : undefined;
    if (!match || !camera) return void res.writeHead(404).end();
    if (match[2] === 'snapshot.jpg') return this.#sendSnapshot(camera, req, res);
    let body = '';
    for await (const chunk of req) body += chunk;
    const envelope = await parseSoap(body).catch(() => null);
    const [action, args] = Object.entries(envelope?.Body ?? {})[0] ?? [];
    if (!action) return fault(res, 400, 'ter:InvalidArgVal', 'malformed SOAP request');
    if (!preAuth.has(action) && !validToken(envelope?.Header?.Security?.UsernameToken, camera)) {
      return fault(res, 400, 'ter:NotAuthorized', 'Sender not authorized');
    }
    const answer = match[2]!.startsWith('subscription/')
      ? await this.#subscription(camera, match[2]!.slice('subscription/'.length), action, (args ?? {}) as Record<string, unknown>)
      : this.#answer(camera, action, (args ?? {}) as Record<string, unknown>);
    if (answer === null) return fault(res, 400, 'ter:ActionNotSupported', `${action} is not supported`);
    res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(soapEnvelope(answer));
  }

  #sendSnapshot(camera: SimulatedCamera, req: http.IncomingMessage, res: http.ServerResponse): void {
    const authorization = req.headers.authorization;
    this.snapshotRequests.push({ cameraId: camera.id, authorization });
    if ((camera.snapshotAuth ?? 'digest') === 'basic') {
      const expected = `Basic ${Buffer.from(`${camera.username}:${camera.password}`).toString('base64')}`;
      if (authorization !== expected) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="camera"' }).end();
    } else if (!this.#validDigest(camera, req.method ?? 'GET', authorization)) {
      const nonce = randomUUID().replaceAll('-', '');
      this.#nonces.add(nonce);
      return void res.writeHead(401, { 'www-authenticate': `Digest realm="SimCam", qop="auth", nonce="${nonce}", algorithm=MD5` }).end();
    }
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': this.#snapshot.length }).end(this.#snapshot);
  }

  /** RFC 7616 with MD5 and qop=auth, against a nonce this simulator issued. */
  #validDigest(camera: SimulatedCamera, method: string, authorization: string | undefined): boolean {
    if (!authorization?.startsWith('Digest ')) return false;
    const field = (name: string) => new RegExp(`${name}="?([^",]*)"?`).exec(authorization)?.[1] ?? '';
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    if (!this.#nonces.has(field('nonce')) || field('username') !== camera.username) return false;
    const ha1 = md5(`${camera.username}:${field('realm')}:${camera.password}`);
    const ha2 = md5(`${method}:${field('uri')}`);
    const expected = md5(`${ha1}:${field('nonce')}:${field('nc')}:${field('cnonce')}:${field('qop')}:${ha2}`);
    return field('response') === expected;
  }

  #answer(camera: SimulatedCamera, action: string, args: Record<string, unknown>): string | null {
    const base = `http://${this.#host}:${this.port}/onvif/${camera.id}`;
    const text = (key: string) => (typeof args[key] === 'string' ? args[key] : '');
    switch (action) {
      case 'GetSystemDateAndTime': {
        const now = new Date();
        return `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:UTCDateTime><tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`;
      }
      case 'GetCapabilities':
        return `<tds:GetCapabilitiesResponse><tds:Capabilities><tt:Device><tt:XAddr>${base}/device_service</tt:XAddr></tt:Device><tt:Events><tt:XAddr>${base}/event_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events><tt:Media><tt:XAddr>${base}/media_service</tt:XAddr></tt:Media>${camera.ptz ? `<tt:PTZ><tt:XAddr>${base}/ptz_service</tt:XAddr></tt:PTZ>` : ''}</tds:Capabilities></tds:GetCapabilitiesResponse>`;
      case 'GetDeviceInformation':
        return `<tds:GetDeviceInformationResponse><tds:Manufacturer>SimCam</tds:Manufacturer><tds:Model>SIM-IPC ${camera.ptz ? 'PTZ' : 'Bullet'}</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>${camera.id.toUpperCase()}</tds:SerialNumber><tds:HardwareId>SIM-IPC</tds:HardwareId></tds:GetDeviceInformationResponse>`;
      case 'GetProfiles':
        return `<trt:GetProfilesResponse>${profileXml(camera, 'main', 1280, 720, 1024)}${profileXml(camera, 'sub', 640, 360, 256)}</trt:GetProfilesResponse>`;
      case 'GetStreamUri': {
        const uri = camera.streams[text('ProfileToken') as 'main' | 'sub'];
        const protocol = (args.StreamSetup as { Transport?: { Protocol?: string } } | undefined)?.Transport?.Protocol;
        if (!uri || protocol !== 'RTSP') return null;
        return `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${uri}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`;
      }
      case 'GetSnapshotUri':
        return `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${camera.snapshotUri ?? `${base}/snapshot.jpg`}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`;
      case 'ContinuousMove':
      case 'Stop':
      case 'GotoPreset': {
        if (!camera.ptz) return null;
        const detail: Record<string, string> = {};
        const velocity = args.Velocity as { PanTilt?: { $?: Record<string, string> }; Zoom?: { $?: Record<string, string> } } | undefined;
        if (velocity?.PanTilt?.$) Object.assign(detail, { x: velocity.PanTilt.$.x, y: velocity.PanTilt.$.y });
        if (velocity?.Zoom?.$) detail.z = velocity.Zoom.$.x!;
        if (action === 'GotoPreset') detail.preset = text('PresetToken');
        this.ptzCalls.push({ cameraId: camera.id, command: action, profileToken: text('ProfileToken'), detail });
        return `<tptz:${action}Response/>`;
      }
      case 'CreatePullPointSubscription': {
        const id = randomUUID();
        this.#pullPoints.set(id, { cameraId: camera.id, queue: [] });
        this.subscriptions.set(camera.id, (this.subscriptions.get(camera.id) ?? 0) + 1);
        const now = new Date();
        return `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${base}/subscription/${id}</wsa:Address></tev:SubscriptionReference><wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime><wsnt:TerminationTime>${new Date(now.getTime() + 120_000).toISOString()}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`;
      }
      case 'GetPresets':
        if (!camera.ptz) return null;
        return `<tptz:GetPresetsResponse>${camera.presets.map((p) => `<tptz:Preset token="${p.token}"><tt:Name>${p.name}</tt:Name></tptz:Preset>`).join('')}</tptz:GetPresetsResponse>`;
      default:
        return null;
    }
  }

  /** A subscription's calls: PullMessages waits for a notification (up to its Timeout, capped), Renew, Unsubscribe. */
  async #subscription(camera: SimulatedCamera, id: string, action: string, args: Record<string, unknown>): Promise<string | null> {
    const point = this.#pullPoints.get(id);
    if (!point || point.cameraId !== camera.id) return null;
    const now = () => new Date().toISOString();
    switch (action) {
      case 'PullMessages': {
        if (point.queue.length === 0) {
          const seconds = Number(/^PT(\d+)S$/.exec(typeof args.Timeout === 'string' ? args.Timeout : '')?.[1] ?? 1);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.min(maxPullWaitMs, seconds * 1000));
            point.waiting = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          point.waiting = undefined;
        }
        const messages = point.queue.splice(0);
        return `<tev:PullMessagesResponse><tev:CurrentTime>${now()}</tev:CurrentTime><tev:TerminationTime>${new Date(Date.now() + 120_000).toISOString()}</tev:TerminationTime>${messages.join('')}</tev:PullMessagesResponse>`;
      }
      case 'Renew':
        return `<wsnt:RenewResponse><wsnt:TerminationTime>${new Date(Date.now() + 120_000).toISOString()}</wsnt:TerminationTime><wsnt:CurrentTime>${now()}</wsnt:CurrentTime></wsnt:RenewResponse>`;
      case 'Unsubscribe':
        this.#pullPoints.delete(id);
        return '<wsnt:UnsubscribeResponse/>';
      default:
        return null;
    }
  }
}

function profileXml(camera: SimulatedCamera, token: 'main' | 'sub', width: number, height: number, bitrate: number): string {
  const ptz = camera.ptz
    ? `<tt:PTZConfiguration token="ptz"><tt:Name>PTZ</tt:Name><tt:NodeToken>node</tt:NodeToken><tt:PanTiltLimits><tt:Range><tt:URI>x</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits><tt:ZoomLimits><tt:Range><tt:URI>z</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits></tt:PTZConfiguration>`
    : '';
  return `<trt:Profiles token="${token}" fixed="true"><tt:Name>${token === 'main' ? 'MainStream' : 'SubStream'}</tt:Name><tt:VideoSourceConfiguration token="vsc"><tt:Name>VideoSource</tt:Name><tt:UseCount>2</tt:UseCount><tt:SourceToken>vs</tt:SourceToken><tt:Bounds x="0" y="0" width="1280" height="720"/></tt:VideoSourceConfiguration><tt:VideoEncoderConfiguration token="vec-${token}"><tt:Name>${token}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${camera.encoding}</tt:Encoding><tt:Resolution><tt:Width>${width}</tt:Width><tt:Height>${height}</tt:Height></tt:Resolution><tt:Quality>4</tt:Quality><tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>${bitrate}</tt:BitrateLimit></tt:RateControl></tt:VideoEncoderConfiguration>${ptz}</trt:Profiles>`;
}

function soapEnvelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing"><s:Body>${body}</s:Body></s:Envelope>`;
}

function fault(res: http.ServerResponse, status: number, subcode: string, reason: string): void {
  res
    .writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' })
    .end(
      soapEnvelope(
        `<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">${reason}</s:Text></s:Reason></s:Fault>`,
      ),
    );
}

type UsernameToken = Parameters<typeof validToken>[0];
type SoapEnvelope = { Header?: { MessageID?: unknown; Security?: { UsernameToken?: UsernameToken } }; Body?: Record<string, unknown> };

function parseSoap(xml: string): Promise<SoapEnvelope> {
  return parseStringPromise(xml, {
    explicitRoot: false,
    explicitArray: false,
    tagNameProcessors: [(name: string) => name.replace(/^[^:]+:/, '')],
  });
}

/** WS-Security UsernameToken with PasswordDigest = Base64(SHA-1(nonce + created + password)). */
function validToken(
  token:
    | { Username?: string; Password?: { _?: string } | string; Nonce?: { _?: string } | string; Created?: { _?: string } | string }
    | undefined,
  camera: SimulatedCamera,
): boolean {
  const value = (v: { _?: string } | string | undefined) => (typeof v === 'string' ? v : (v?._ ?? ''));
  if (!token || token.Username !== camera.username) return false;
  const digest = createHash('sha1')
    .update(Buffer.concat([Buffer.from(value(token.Nonce), 'base64'), Buffer.from(value(token.Created)), Buffer.from(camera.password)]))
    .digest('base64');
  return digest === value(token.Password);
}
