import { randomBytes } from 'node:crypto';
import { newTag } from './dialogHeaders.js';
import { EventEmitter } from 'node:events';
import type { NameAddr, SipRequest, SipResponse, Stack } from 'sip';
import { SessionDescriptionError } from './errors.js';
import { allowedMethods, responseTo } from './responses.js';
import { contactUri, recordRoutes, sessionExpires, type SessionTimer } from './dialogHeaders.js';
import { echoSessionTimer, SessionKeeper } from './SessionKeeper.js';
import { answeredFloorControl, answeredMedia } from './sessionDescription.js';
import type { CallEnd, SipCallEvents } from './SipTypes.js';

export interface OutgoingCallOptions {
  /** The far end's SIP URI (`sip:mcu@10.0.0.5`). */
  target: string;
  /** The hub's own address of record and contact (`sip:hub@<announced>:<port>`). */
  localUri: string;
  contact: string;
  displayName: string;
  userAgent: string;
  /** The hub's session description. */
  offer: string;
}

type CallState = 'calling' | 'established' | 'ending' | 'ended';

/**
 * A call the hub places (RFC 3261's UAC side of one dialog): the INVITE with the hub's offer, the ACK of its
 * 2xx (again for each retransmitted 2xx), the answer's media, and its end by either side (BYE, or CANCEL while
 * it rings). The stack keeps the transactions (retransmissions, timers); a second 2xx from a forked request
 * is acknowledged and released with a BYE, since a call has one far end.
 */
export class SipCall extends EventEmitter<SipCallEvents> {
  readonly callId = `${randomBytes(12).toString('hex')}`;
  readonly #stack: Stack;
  readonly #options: OutgoingCallOptions;
  readonly #localTag = newTag();
  /** The hub's side of the dialog, in every request it sends. */
  readonly #from: NameAddr;
  #state: CallState = 'calling';
  #cseq = 1;
  #invite?: SipRequest;
  /** Set by the 2xx that made the dialog. */
  #remoteTag?: string;
  #remoteTarget?: string;
  #routeSet: NameAddr[] = [];
  #ringing = false;
  readonly #session: SessionKeeper;

  constructor(stack: Stack, options: OutgoingCallOptions) {
    super();
    this.#stack = stack;
    this.#options = options;
    this.#from = { name: `"${options.displayName}"`, uri: options.localUri, params: { tag: this.#localTag } };
    this.#session = new SessionKeeper(stack, 'uac', {
      request: (method) => this.#inDialog(method),
      up: () => this.#state === 'established',
      refreshed: () => this.emit('refreshed'),
      gone: () => this.#end({ by: 'remote' }),
      expired: () => this.hangUp(),
    });
  }

  get state(): CallState {
    return this.#state;
  }

  /** Sends the INVITE; `established` or `ended` follows. */
  start(): void {
    const invite: SipRequest = {
      method: 'INVITE',
      uri: this.#options.target,
      headers: {
        to: { uri: this.#options.target, params: {} },
        from: this.#from,
        'call-id': this.callId,
        cseq: { method: 'INVITE', seq: this.#cseq },
        contact: [{ uri: this.#options.contact, params: {} }],
        'max-forwards': 70,
        allow: allowedMethods,
        // session timers (RFC 4028): an MCU that asks for them gets them, refreshed by the hub with UPDATE
        supported: 'timer',
        'user-agent': this.#options.userAgent,
        'content-type': 'application/sdp',
      },
      content: this.#options.offer,
    };
    this.#invite = invite;
    this.#stack.send(invite, (response) => this.#inviteResponse(response));
  }

  /** Ends the call from the hub's side: BYE once established, CANCEL while it still rings. */
  hangUp(): void {
    if (this.#state === 'established') {
      this.#state = 'ending';
      this.#stack.send(this.#inDialog('BYE'), () => this.#end({ by: 'local' }));
    } else if (this.#state === 'calling' && this.#invite) {
      this.#state = 'ending';
      const invite = this.#invite;
      // CANCEL names the INVITE's transaction: its Request-URI, Via (with the branch), Call-ID, From, To and CSeq number
      this.#stack.send({
        method: 'CANCEL',
        uri: invite.uri,
        headers: {
          via: invite.headers.via,
          to: invite.headers.to,
          from: invite.headers.from,
          'call-id': this.callId,
          cseq: { method: 'CANCEL', seq: invite.headers.cseq.seq },
          'max-forwards': 70,
        },
      });
      this.#end({ by: 'local' });
    }
  }

  /** A request within this dialog from the far end (never an ACK: those are not answered); answers it. */
  handleRequest(request: SipRequest): SipResponse {
    if (request.method === 'INVITE' || request.method === 'UPDATE') {
      // the far end refreshed the session: its terms hold for another interval, echoed in the answer
      const timer = sessionExpires(request);
      const response = this.#refreshAnswer(request, timer);
      if (timer && this.#state === 'established') {
        this.#session.keep(timer);
        this.emit('refreshed');
      }
      return response;
    }
    if (request.method !== 'BYE') return this.#response(request, 405, 'Method Not Allowed');
    this.#end({ by: 'remote' });
    return this.#response(request, 200, 'OK');
  }

  /** Whether a request's tags name this dialog (the far end's From tag is its own). */
  matches(request: SipRequest): boolean {
    return request.headers['call-id'] === this.callId && request.headers.to.params.tag === this.#localTag;
  }

  #inviteResponse(response: SipResponse): void {
    if (response.status < 200) {
      // the far end alerts (180) or has a session in progress (183): it rings
      if ((response.status === 180 || response.status === 183) && this.#state === 'calling' && !this.#ringing) {
        this.#ringing = true;
        this.emit('ringing');
      }
      return;
    }
    if (response.status >= 300) {
      if (this.#state === 'calling' || this.#state === 'ending')
        this.#end(
          response.status === 408 || response.status === 503
            ? { by: 'unreachable' }
            : { by: 'refused', status: response.status, reason: response.reason },
        );
      return;
    }
    const remoteTag = String(response.headers.to.params.tag ?? '');
    if (this.#remoteTag !== undefined && remoteTag !== this.#remoteTag) {
      // a second far end answered a forked INVITE: acknowledge it and let it go
      this.#ack(response);
      const bye = this.#inDialog('BYE');
      bye.uri = contactUri(response) ?? this.#options.target;
      bye.headers.to = response.headers.to;
      this.#stack.send(bye);
      return;
    }
    if (this.#remoteTag !== undefined) {
      this.#ack(response); // a retransmission of the 2xx: the ACK was lost
      return;
    }
    this.#remoteTag = remoteTag;
    this.#remoteTarget = contactUri(response) ?? this.#options.target;
    this.#routeSet = recordRoutes(response).reverse();
    this.#ack(response);
    const timer = sessionExpires(response);
    if (timer) this.#session.keep(timer);
    if (this.#state === 'ending') {
      // answered just as the hub cancelled it: end the dialog the answer made
      this.#state = 'established';
      this.hangUp();
      return;
    }
    try {
      const media = answeredMedia(response.content ?? '');
      this.#state = 'established';
      this.emit('established', media, answeredFloorControl(response.content ?? ''));
    } catch (error) {
      const message = error instanceof SessionDescriptionError ? error.message : 'mô tả phiên (SDP) không đọc được';
      this.#state = 'established';
      this.hangUp();
      this.#end({ by: 'media', message });
    }
  }

  /** A re-INVITE (the same session: the hub's description again) or UPDATE answered 200, with the timer's terms. */
  #refreshAnswer(request: SipRequest, timer: SessionTimer | undefined): SipResponse {
    const response = this.#response(request, 200, 'OK');
    if (timer) echoSessionTimer(response, timer);
    if (request.method === 'INVITE') {
      response.headers['content-type'] = 'application/sdp';
      response.headers.contact = [{ uri: this.#options.contact, params: {} }];
      response.content = this.#options.offer;
    }
    return response;
  }

  #ack(response: SipResponse): void {
    this.#stack.send({
      method: 'ACK',
      uri: contactUri(response) ?? this.#options.target,
      headers: {
        to: response.headers.to,
        from: this.#from,
        'call-id': this.callId,
        cseq: { method: 'ACK', seq: this.#invite!.headers.cseq.seq },
        'max-forwards': 70,
        ...(this.#routeSet.length > 0 ? { route: this.#routeSet } : {}),
      },
    });
  }

  #inDialog(method: string): SipRequest {
    return {
      method,
      uri: this.#remoteTarget ?? this.#options.target,
      headers: {
        to: { uri: this.#options.target, params: { tag: this.#remoteTag } },
        from: this.#from,
        'call-id': this.callId,
        cseq: { method, seq: ++this.#cseq },
        'max-forwards': 70,
        'user-agent': this.#options.userAgent,
        ...(this.#routeSet.length > 0 ? { route: this.#routeSet } : {}),
      },
    };
  }

  #response(request: SipRequest, status: number, reason: string): SipResponse {
    return responseTo(request, status, reason, this.#options.userAgent);
  }

  #end(end: CallEnd): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#session.stop();
    this.emit('ended', end);
  }
}
