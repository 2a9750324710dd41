import { EventEmitter } from 'node:events';
import type { NameAddr, SipRequest, SipResponse, Stack } from 'sip';
import { contactUri, newTag, recordRoutes, sessionExpires } from './dialogHeaders.js';
import { echoSessionTimer, SessionKeeper } from './SessionKeeper.js';
import { allowedMethods, responseTo } from './responses.js';
import type { CallEnd, IncomingCallEvents, IncomingCallInfo } from './SipTypes.js';

type IncomingState = 'offered' | 'answered' | 'confirmed' | 'ending' | 'ended';

/** RFC 3261's timers for the 2xx the UAS retransmits over UDP until the ACK comes (§13.3.1.4). */
const t1Ms = 500;
const t2Ms = 4000;

/**
 * A call to the hub (RFC 3261's UAS side of one dialog): the caller's INVITE, ringing while it waits, the
 * answer (retransmitted over UDP until the ACK comes, as the transaction layer leaves that to the dialog) or a
 * refusal, the session's refreshes, and its end by either side (BYE, or the caller's CANCEL before the answer).
 */
export class SipIncomingCall extends EventEmitter<IncomingCallEvents> {
  readonly info: IncomingCallInfo;
  readonly #stack: Stack;
  readonly #invite: SipRequest;
  readonly #userAgent: string;
  readonly #contact: string;
  readonly #localTag = newTag();
  /** The hub's side of the dialog in the requests it sends (the INVITE's To, with the hub's tag). */
  readonly #local: NameAddr;
  readonly #remote: NameAddr;
  readonly #remoteTarget: string;
  readonly #routeSet: NameAddr[];
  readonly #reliable: boolean;
  #state: IncomingState = 'offered';
  #cseq = 1;
  #answer?: SipResponse;
  #retransmit?: NodeJS.Timeout;
  readonly #session: SessionKeeper;

  constructor(stack: Stack, invite: SipRequest, options: { contact: string; userAgent: string; sourceAddress: string; account?: string }) {
    super();
    this.#stack = stack;
    this.#invite = invite;
    this.#userAgent = options.userAgent;
    this.#contact = options.contact;
    this.#local = { ...invite.headers.to, params: { ...invite.headers.to.params, tag: this.#localTag } };
    this.#remote = invite.headers.from;
    this.#remoteTarget = contactUri(invite) ?? invite.headers.from.uri;
    this.#routeSet = recordRoutes(invite);
    const via = invite.headers.via?.[0] as { protocol?: string } | undefined;
    this.#reliable = String(via?.protocol ?? 'UDP').toUpperCase() !== 'UDP';
    this.#session = new SessionKeeper(stack, 'uas', {
      request: (method) => this.#inDialog(method),
      up: () => this.#state === 'confirmed',
      refreshed: () => this.emit('refreshed'),
      gone: () => this.#end({ by: 'remote' }),
      expired: () => this.hangUp(),
    });
    this.info = {
      callId: invite.headers['call-id'],
      user: decodeURIComponent(/^sips?:([^@;]+)@/i.exec(invite.uri)?.[1] ?? ''),
      fromUri: invite.headers.from.uri,
      displayName: String(invite.headers.from.name ?? '')
        .replace(/^"|"$/g, '')
        .trim(),
      sourceAddress: options.sourceAddress,
      account: options.account,
    };
  }

  get callId(): string {
    return this.info.callId;
  }

  /** The caller's session description. */
  get offer(): string {
    return this.#invite.content ?? '';
  }

  get state(): IncomingState {
    return this.#state;
  }

  /** 180 Ringing: the caller waits (for the meeting to start). */
  ringing(): void {
    if (this.#state === 'offered') this.#stack.send(this.#response(this.#invite, 180, 'Ringing'));
  }

  /** The hub takes the call with its session description. */
  answer(description: string): void {
    if (this.#state !== 'offered') return;
    const response = this.#response(this.#invite, 200, 'OK');
    response.headers.contact = [{ uri: this.#contact, params: {} }];
    response.headers['content-type'] = 'application/sdp';
    response.content = description;
    // the caller refreshes unless it asked the hub to
    const timer = sessionExpires(this.#invite);
    if (timer) {
      echoSessionTimer(response, timer);
      this.#session.keep(timer);
    }
    this.#answer = response;
    this.#state = 'answered';
    this.#stack.send(response);
    if (!this.#reliable) this.#retransmitAnswer(t1Ms, 0);
  }

  /** The hub declines the call before answering (a wrong PIN, a meeting that is over, media it cannot take). */
  refuse(status: number, reason: string, headers: Record<string, string | number> = {}): void {
    if (this.#state !== 'offered') return;
    const response = this.#response(this.#invite, status, reason);
    Object.assign(response.headers, headers);
    this.#stack.send(response);
    this.#end({ by: 'refused', status, reason });
  }

  /** Ends the call from the hub's side: BYE once answered, a refusal while it is still offered. */
  hangUp(): void {
    if (this.#state === 'offered') {
      this.refuse(480, 'Temporarily Unavailable');
      return;
    }
    if (this.#state !== 'answered' && this.#state !== 'confirmed') return;
    this.#state = 'ending';
    clearTimeout(this.#retransmit);
    this.#stack.send(this.#inDialog('BYE'), () => this.#end({ by: 'local' }));
  }

  /** The caller's ACK of the answer: the call is up. */
  acknowledged(): void {
    if (this.#state !== 'answered') return;
    clearTimeout(this.#retransmit);
    this.#state = 'confirmed';
    this.emit('confirmed');
  }

  /** The caller's CANCEL of its INVITE (no To tag, so matched by Call-ID): 487 to the INVITE while not answered yet. */
  cancelled(cancel: SipRequest): SipResponse {
    if (this.#state === 'offered') {
      this.#stack.send(this.#response(this.#invite, 487, 'Request Terminated'));
      this.#end({ by: 'remote' });
    }
    return responseTo(cancel, 200, 'OK', this.#userAgent);
  }

  /** Whether a request names this dialog (the hub's tag in its To). */
  matches(request: SipRequest): boolean {
    return request.headers['call-id'] === this.callId && request.headers.to.params.tag === this.#localTag;
  }

  /** A request within the dialog (never an ACK); answers it. */
  handleRequest(request: SipRequest): SipResponse {
    if (request.method === 'BYE') {
      this.#end({ by: 'remote' });
      return this.#response(request, 200, 'OK');
    }
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      const response = this.#response(request, 200, 'OK');
      const timer = sessionExpires(request);
      if (timer) {
        echoSessionTimer(response, timer);
        this.#session.keep(timer);
        this.emit('refreshed');
      }
      if (request.method === 'INVITE') {
        // the same session: the hub's description again
        response.headers.contact = [{ uri: this.#contact, params: {} }];
        response.headers['content-type'] = 'application/sdp';
        response.content = this.#answer?.content ?? '';
      }
      return response;
    }
    return this.#response(request, 405, 'Method Not Allowed');
  }

  #retransmitAnswer(intervalMs: number, elapsedMs: number): void {
    this.#retransmit = setTimeout(() => {
      if (this.#state !== 'answered' || !this.#answer) return;
      if (elapsedMs + intervalMs >= 64 * t1Ms) {
        // no ACK in 64·T1: the caller is gone (RFC 3261 §13.3.1.4)
        this.hangUp();
        return;
      }
      this.#stack.send(this.#answer);
      this.#retransmitAnswer(Math.min(intervalMs * 2, t2Ms), elapsedMs + intervalMs);
    }, intervalMs);
  }

  #inDialog(method: string): SipRequest {
    return {
      method,
      uri: this.#remoteTarget,
      headers: {
        to: this.#remote,
        from: this.#local,
        'call-id': this.callId,
        cseq: { method, seq: this.#cseq++ },
        'max-forwards': 70,
        'user-agent': this.#userAgent,
        allow: allowedMethods,
        ...(this.#routeSet.length > 0 ? { route: this.#routeSet } : {}),
      },
    };
  }

  /** An answer to the INVITE carries the hub's tag; one within the dialog already has it. */
  #response(request: SipRequest, status: number, reason: string): SipResponse {
    const response = responseTo(request, status, reason, this.#userAgent);
    if (request === this.#invite && status > 100) response.headers.to = this.#local;
    return response;
  }

  #end(end: CallEnd): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    clearTimeout(this.#retransmit);
    this.#session.stop();
    this.emit('ended', end);
  }
}
