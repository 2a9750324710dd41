import dgram from 'node:dgram';
import net from 'node:net';
import * as sip from 'sip';
import type { SipRequest } from 'sip';
import { z } from 'zod';
import { DigestAuthenticator } from './DigestAuthenticator.js';
import { FailureLockout } from './FailureLockout.js';
import { Registrar } from './Registrar.js';
import { responseTo } from './responses.js';
import { SipCall } from './SipCall.js';
import { SipIncomingCall } from './SipIncomingCall.js';
import { SourceLimiter } from './SourceLimiter.js';
import type { AccountLookup, SipEndpointOptions } from './SipTypes.js';

export interface SipLog {
  info(detail: Record<string, unknown>, message: string): void;
  warn(detail: Record<string, unknown>, message: string): void;
}

const nameAddrSchema = z.object({ uri: z.string().regex(/^(sips?|tel):\S+$/i), params: z.record(z.string(), z.unknown()) });

/** The parts of a request the endpoint reads, checked: the stack parses any text a network sends. */
const requestSchema = z.object({
  method: z.string().regex(/^[A-Z]+$/),
  uri: z.string().min(1),
  headers: z.object({
    'call-id': z.string().min(1),
    cseq: z.object({ seq: z.number().int().nonnegative(), method: z.string() }),
    from: nameAddrSchema,
    to: nameAddrSchema,
    via: z.array(z.object({}).passthrough()).min(1),
  }),
});

/**
 * The hub's SIP side: one stack (RFC 3261's transport and transaction layers, UDP and TCP) on SIP_PORT, the
 * calls it places, and the answers to what the network sends it. OPTIONS is answered (room systems and MCUs
 * probe with it); a request within a call goes to the call; a new INVITE goes to the dial-in; anything malformed
 * gets a 400 and changes nothing. A source that sends more than its share is answered 503 with a Retry-After until
 * it slows down (`SourceLimiter`).
 *
 * With accounts (`useAccounts`: the room systems'), the hub is their registrar and authenticates them by digest:
 * a REGISTER, and an INVITE from an account's user name, are challenged; one with the right credentials binds the
 * account (REGISTER) or comes to the dial-in as that account. Wrong credentials and wrong PINs count against their
 * source: too many, and it is refused for a while (`FailureLockout`).
 */
export class SipEndpoint {
  readonly #stack: sip.Stack;
  readonly #options: SipEndpointOptions;
  readonly #log: SipLog;
  /** The calls the hub placed and those it took, by Call-ID. */
  readonly #calls = new Map<string, SipCall | SipIncomingCall>();
  readonly #limiter: SourceLimiter;
  readonly #lockout: FailureLockout;
  /** Where each room system registered (its account's binding). */
  readonly registrar = new Registrar();
  #incoming?: (call: SipIncomingCall) => void;
  #digest?: DigestAuthenticator;

  private constructor(options: SipEndpointOptions, log: SipLog) {
    this.#options = options;
    this.#log = log;
    this.#limiter = new SourceLimiter(options.limits);
    this.#lockout = new FailureLockout(options.lockout);
    this.#stack = sip.create(
      {
        port: options.port,
        address: options.listenIp,
        publicAddress: options.announcedAddress,
        udp: true,
        tcp: true,
        ...(options.tls ? { tls: { key: options.tls.key, cert: options.tls.cert }, tls_port: options.tls.port } : {}),
        // a message larger than this is dropped, not buffered
        maxBytesHeaders: 16_384,
        maxContentLength: 65_536,
        logger: { error: (err) => log.warn({ err: String(err) }, 'a SIP message could not be handled') },
      },
      (request, remote) => this.#request(request, remote),
    );
  }

  /** Listens once the ports are known to be free (the stack's own sockets would throw from a callback). */
  static async listen(options: SipEndpointOptions, log: SipLog): Promise<SipEndpoint> {
    await assertPortsFree(options.listenIp, options.port);
    if (options.tls) await assertTcpPortFree(options.listenIp, options.tls.port);
    return new SipEndpoint(options, log);
  }

  /** The name the hub gives itself in SIP and in its session descriptions. */
  get userAgent(): string {
    return this.#options.userAgent;
  }

  get address(): string {
    return `${this.#options.announcedAddress}:${this.#options.port}`;
  }

  /** Places a call to `target` with the hub's session description; the caller follows its events. */
  call(target: string, offer: string, displayName: string): SipCall {
    const localUri = `sip:hub@${this.address}`;
    const call = new SipCall(this.#stack, {
      target,
      localUri,
      contact: localUri,
      displayName,
      userAgent: this.#options.userAgent,
      offer,
    });
    this.#calls.set(call.callId, call);
    call.on('ended', () => this.#calls.delete(call.callId));
    call.start();
    return call;
  }

  /**
   * Who takes the calls to the hub (the dial-in): it answers, rings or refuses each. Without one, every call in
   * is refused.
   */
  onIncoming(handler: (call: SipIncomingCall) => void): void {
    this.#incoming = handler;
  }

  /** The accounts that may register and call as themselves (the room systems'), checked by digest. */
  useAccounts(lookup: AccountLookup): void {
    this.#digest = new DigestAuthenticator(this.#options.realm ?? this.#options.announcedAddress, lookup);
  }

  /**
   * A wrong answer from a source that is not SIP's own to see (a wrong PIN keyed in a call): it counts towards the
   * source's lockout with wrong passwords.
   */
  failedFrom(sourceAddress: string): void {
    if (this.#lockout.failed(sourceAddress))
      this.#log.warn({ from: sourceAddress }, 'a SIP source gave too many wrong passwords or PINs: refused for a while');
  }

  /** Hangs up every call and waits for their BYEs to be answered (at most `graceMs`), then closes the sockets. */
  async close(graceMs = 2000): Promise<void> {
    for (const call of this.#calls.values()) call.hangUp();
    const ended = [...this.#calls.values()].map((call) => new Promise<void>((resolve) => call.once('ended', () => resolve())));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ended), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.registrar.close();
    this.#stack.destroy();
  }

  #request(request: SipRequest, remote: sip.Remote): void {
    const valid = requestSchema.safeParse(request).success;
    const call = valid ? this.#calls.get(request.headers['call-id']) : undefined;
    // an ACK is never answered, so never limited: one of a call's answer confirms it; any other needs nothing done
    if (request.method === 'ACK') {
      if (call instanceof SipIncomingCall && call.matches(request)) call.acknowledged();
      return;
    }
    if (call?.matches(request)) {
      this.#stack.send(call.handleRequest(request));
      return;
    }
    // the caller gives up before the hub answered: its CANCEL carries no tag of the hub's
    if (request.method === 'CANCEL' && call instanceof SipIncomingCall) {
      this.#stack.send(call.cancelled(request));
      return;
    }
    if (!this.#withinLimits(request, remote)) return;
    if (!valid) {
      // without a Via there is nowhere to answer; with one, a 400 says what is wrong
      if (Array.isArray(request.headers?.via)) this.#stack.send(this.#response(request, 400, 'Bad Request'));
      return;
    }
    switch (request.method) {
      case 'OPTIONS': {
        const response = this.#response(request, 200, 'OK');
        response.headers.accept = 'application/sdp';
        this.#stack.send(response);
        return;
      }
      case 'INVITE':
        if (request.headers.to.params.tag) this.#stack.send(this.#response(request, 481, 'Call/Transaction Does Not Exist'));
        else if (call) this.#stack.send(this.#response(request, 482, 'Loop Detected'));
        else if (!this.#incoming) {
          this.#log.info({ from: remote.address }, 'a SIP call in was refused: dial-in is not open');
          this.#stack.send(this.#response(request, 403, 'Forbidden'));
        } else if (this.#lockout.isLocked(remote.address)) this.#stack.send(this.#response(request, 403, 'Forbidden'));
        else this.#invited(request, remote).catch((err: unknown) => this.#failed(request, remote, err));
        return;
      case 'REGISTER':
        if (!this.#digest) this.#stack.send(this.#response(request, 405, 'Method Not Allowed'));
        else if (this.#lockout.isLocked(remote.address)) this.#stack.send(this.#response(request, 403, 'Forbidden'));
        else this.#register(request, remote).catch((err: unknown) => this.#failed(request, remote, err));
        return;
      case 'BYE':
      case 'UPDATE':
      case 'CANCEL':
        this.#stack.send(this.#response(request, 481, 'Call/Transaction Does Not Exist'));
        return;
      default:
        this.#stack.send(this.#response(request, 405, 'Method Not Allowed'));
    }
  }

  /** A new call to the hub: as an account if it proves one (or must), else as a guest. */
  async #invited(request: SipRequest, remote: sip.Remote): Promise<void> {
    const account = await this.#authenticated(request, remote);
    if (account !== false) this.#takeIncoming(request, remote, account);
  }

  /** A room system registers where it is: its binding made, refreshed or removed. */
  async #register(request: SipRequest, remote: sip.Remote): Promise<void> {
    const account = await this.#authenticated(request, remote);
    if (account === false) return;
    if (account === undefined) {
      this.#stack.send(this.#digest!.challenge(this.#response(request, 401, 'Unauthorized')));
      return;
    }
    const response = this.registrar.register(request, account, remote, (status, reason) => this.#response(request, status, reason));
    if (response.status === 200) this.#log.info({ account, from: remote.address }, 'a room system registered');
    this.#stack.send(response);
  }

  /**
   * The account a request proves it is (digest), undefined for a guest (no credentials, and not naming an account),
   * or false when the hub answered it already: challenged, or refused once its source is locked out.
   */
  async #authenticated(request: SipRequest, remote: sip.Remote): Promise<string | undefined | false> {
    const digest = this.#digest;
    if (!digest) return undefined;
    const outcome = await digest.verify(request);
    const challenge = (stale = false) => this.#stack.send(digest.challenge(this.#response(request, 401, 'Unauthorized'), stale));
    switch (outcome.result) {
      case 'ok':
        return outcome.username;
      case 'stale':
        challenge(true);
        return false;
      case 'failed':
        this.#log.warn({ from: remote.address, account: outcome.username, method: request.method }, 'a SIP request gave wrong credentials');
        this.failedFrom(remote.address);
        if (this.#lockout.isLocked(remote.address)) this.#stack.send(this.#response(request, 403, 'Forbidden'));
        else challenge();
        return false;
      case 'missing': {
        // a caller that names an account must prove it; any other is a guest (with the meeting's PIN)
        const user = request.method === 'REGISTER' ? undefined : sip.parseUri(request.headers.from.uri)?.user;
        if (request.method === 'REGISTER' || (user !== undefined && (await digest.hasAccount(decodeURIComponent(user))))) {
          challenge();
          return false;
        }
        return undefined;
      }
    }
  }

  /** A request the hub could not handle: a 500, and the reason in the log. */
  #failed(request: SipRequest, remote: sip.Remote, err: unknown): void {
    this.#log.warn({ err: String(err), from: remote.address, method: request.method }, 'a SIP request could not be handled');
    this.#stack.send(this.#response(request, 500, 'Server Internal Error'));
  }

  /** A new call to the hub: the dial-in decides; it rings meanwhile (100 Trying stops the caller's retransmissions). */
  #takeIncoming(request: SipRequest, remote: sip.Remote, account: string | undefined): void {
    this.#stack.send(this.#response(request, 100, 'Trying'));
    const call = new SipIncomingCall(this.#stack, request, {
      contact: this.#contactFor(request),
      userAgent: this.#options.userAgent,
      sourceAddress: remote.address,
      account,
    });
    this.#calls.set(call.callId, call);
    call.on('ended', () => this.#calls.delete(call.callId));
    try {
      this.#incoming!(call);
    } catch (err) {
      this.#log.warn({ err: String(err), from: remote.address }, 'a SIP call in could not be taken');
      call.refuse(500, 'Server Internal Error');
    }
  }

  /** Where a caller reaches the hub within its call: over TLS when it called over TLS, else the UDP and TCP port. */
  #contactFor(request: SipRequest): string {
    const via = request.headers.via?.[0] as { protocol?: string } | undefined;
    if (this.#options.tls && String(via?.protocol).toUpperCase() === 'TLS')
      return `sip:hub@${this.#options.announcedAddress}:${this.#options.tls.port};transport=tls`;
    return `sip:hub@${this.address}`;
  }

  /** A request that opens a transaction, taken from its source's share: over it, a 503 that ends the transaction. */
  #withinLimits(request: SipRequest, remote: sip.Remote): boolean {
    const { allowed, floodStarted } = this.#limiter.take(remote.address);
    if (allowed) return true;
    if (floodStarted) this.#log.warn({ from: remote.address }, 'a SIP source sends more than it may: answered 503 until it slows down');
    if (Array.isArray(request.headers?.via)) {
      const response = this.#response(request, 503, 'Service Unavailable');
      response.headers['retry-after'] = 30;
      this.#stack.send(response);
    }
    return false;
  }

  #response(request: SipRequest, status: number, reason: string) {
    return responseTo(request, status, reason, this.#options.userAgent);
  }
}

/** Binds and frees UDP and TCP on the port: a port in use is a clear error at start, not a crash later. */
async function assertPortsFree(address: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(port, address, () => socket.close(() => resolve()));
  });
  await assertTcpPortFree(address, port);
}

async function assertTcpPortFree(address: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, address, () => server.close(() => resolve()));
  });
}
