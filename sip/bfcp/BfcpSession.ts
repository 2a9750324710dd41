import type net from 'node:net';
import type { SipLog } from '../SipEndpoint.js';
import {
  BfcpAttributeType,
  BfcpErrorCode,
  BfcpPrimitive,
  BfcpRequestStatus,
  type BfcpAttribute,
  type BfcpFloorHandler,
  type BfcpMessage,
} from './BfcpTypes.js';
import {
  attribute,
  encodeBfcpMessage,
  errorCodeOf,
  errorReply,
  errorText,
  messageLength,
  parseBfcpMessage,
  uint16Attribute,
  uint16Attributes,
} from './bfcpMessage.js';

/** The one floor of a call's content channel (a=floorid), the same for every call. */
export const contentFloorId = 1;

/** The primitives and attributes the hub's HelloAck lists. */
const supportedPrimitives = [
  BfcpPrimitive.FloorRequest,
  BfcpPrimitive.FloorRelease,
  BfcpPrimitive.FloorRequestQuery,
  BfcpPrimitive.FloorRequestStatus,
  BfcpPrimitive.FloorQuery,
  BfcpPrimitive.FloorStatus,
  BfcpPrimitive.Hello,
  BfcpPrimitive.HelloAck,
  BfcpPrimitive.Error,
  BfcpPrimitive.Goodbye,
  BfcpPrimitive.GoodbyeAck,
];
const supportedAttributes: readonly number[] = Object.values(BfcpAttributeType);
/** What a client may send without an answer (acknowledgements are for UDP; an Error from it ends nothing). */
const unanswered: ReadonlySet<number> = new Set([
  BfcpPrimitive.Error,
  BfcpPrimitive.ErrorAck,
  BfcpPrimitive.FloorRequestStatusAck,
  BfcpPrimitive.FloorStatusAck,
  BfcpPrimitive.GoodbyeAck,
]);

/**
 * One call's floor control: the room system's requests for the content floor, answered as the meeting decides
 * (`BfcpFloorHandler`), and what the hub tells it unasked (its floor revoked; the floor's holder changed, once it
 * asked with a FloorQuery). Its connection (RFC 8855 over TCP: no acknowledgements, transaction ID 0 for what the
 * server sends unasked) is given by the server once it named this session.
 */
export class BfcpSession {
  readonly conferenceId: number;
  readonly userId: number;
  readonly floorId = contentFloorId;
  /** Where its connection must come from (undefined: nowhere yet). */
  #remoteAddress: string | undefined;
  readonly #handler: BfcpFloorHandler;
  readonly #log: SipLog;
  readonly #closed: () => void;
  #socket: net.Socket | undefined;
  #version: 1 | 2 = 1;
  /** Its floor request, once it made one, until released, denied or revoked. */
  #request: { id: number; status: number } | undefined;
  #lastRequestId = 0;
  /** It asked for the floor's state (FloorQuery): it is told each change. */
  #watching = false;
  /** Someone else presents (the meeting's floor is held, not by this call). */
  #heldElsewhere = false;
  #ended = false;

  constructor(options: {
    conferenceId: number;
    userId: number;
    remoteAddress?: string;
    handler: BfcpFloorHandler;
    log: SipLog;
    closed: () => void;
  }) {
    this.conferenceId = options.conferenceId;
    this.userId = options.userId;
    this.#remoteAddress = options.remoteAddress;
    this.#handler = options.handler;
    this.#log = options.log;
    this.#closed = options.closed;
  }

  get remoteAddress(): string | undefined {
    return this.#remoteAddress;
  }

  /** The far end's address, once known (the answer to the hub's offer said it): its connection comes from there. */
  expectFrom(address: string): void {
    this.#remoteAddress = address;
  }

  /** The room system holds the content floor now. */
  get granted(): boolean {
    return this.#grantedRequest() !== undefined;
  }

  /** Its request that holds the floor, if any. */
  #grantedRequest(): { id: number; status: number } | undefined {
    return this.#request?.status === BfcpRequestStatus.Granted ? this.#request : undefined;
  }

  /** Its connection (a new one replaces the last), with the bytes already read of it. */
  attach(socket: net.Socket, buffered: Buffer): void {
    if (this.#ended) {
      socket.destroy();
      return;
    }
    const previous = this.#socket;
    this.#socket = socket;
    previous?.destroy();
    let pending = Buffer.alloc(0);
    const read = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        let length: number | undefined;
        try {
          length = messageLength(pending);
        } catch (error) {
          socket.end(errorReply(undefined, errorCodeOf(error), errorText(error)));
          return;
        }
        if (length === undefined || pending.length < length) return;
        const bytes = pending.subarray(0, length);
        pending = pending.subarray(length);
        let message: BfcpMessage;
        try {
          message = parseBfcpMessage(bytes);
        } catch (error) {
          this.#send(errorReply(undefined, errorCodeOf(error), errorText(error)));
          continue;
        }
        this.#receive(message);
      }
    };
    socket.on('data', read);
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      // its connection gone, its floor goes too (RFC 8856 §8: a new connection starts afresh)
      this.#giveBack();
    });
    read(buffered);
  }

  /** The meeting's floor went to another site (the chair gave it): the room system's grant is revoked. */
  revoke(): void {
    const request = this.#request;
    if (request?.status !== BfcpRequestStatus.Granted) return;
    this.#request = undefined;
    this.#send(this.#encode(BfcpPrimitive.FloorRequestStatus, 0, [this.#requestInformation(request.id, BfcpRequestStatus.Revoked)]));
    this.#floorStatusChanged();
  }

  /** Whether another site presents now: a room system that asked is told (FloorStatus), to show the content it is sent. */
  heldElsewhere(held: boolean): void {
    if (this.#heldElsewhere === held) return;
    this.#heldElsewhere = held;
    this.#floorStatusChanged();
  }

  /** The call ended: its connection closes, its floor (if it held it) goes back. */
  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#socket?.destroy();
    this.#socket = undefined;
    this.#giveBack();
    this.#closed();
  }

  #receive(message: BfcpMessage): void {
    this.#version = message.version;
    if (message.conferenceId !== this.conferenceId || message.userId !== this.userId) {
      this.#send(errorReply(message, BfcpErrorCode.ConferenceDoesNotExist, 'không có hội nghị BFCP này'));
      return;
    }
    const unknownMandatory = message.attributes.find((a) => a.mandatory && !supportedAttributes.includes(a.type));
    if (unknownMandatory) {
      this.#send(
        errorReply(message, BfcpErrorCode.UnknownMandatoryAttribute, `thuộc tính bắt buộc ${unknownMandatory.type} không được hỗ trợ`),
      );
      return;
    }
    try {
      this.#answer(message);
    } catch (error) {
      this.#send(errorReply(message, errorCodeOf(error), errorText(error)));
    }
  }

  #answer(message: BfcpMessage): void {
    const reply = (primitive: number, attributes: BfcpAttribute[]) =>
      this.#send(this.#encode(primitive, message.transactionId, attributes));
    switch (message.primitive) {
      case BfcpPrimitive.Hello:
        reply(BfcpPrimitive.HelloAck, [
          attribute.supportedPrimitives(supportedPrimitives),
          attribute.supportedAttributes(supportedAttributes),
        ]);
        return;
      case BfcpPrimitive.FloorRequest: {
        const floors = uint16Attributes(message, BfcpAttributeType.FloorId);
        if (floors.length === 0 || floors.some((floor) => floor !== this.floorId)) {
          this.#send(errorReply(message, BfcpErrorCode.InvalidFloorId, `chỉ có tầng nội dung ${this.floorId}`));
          return;
        }
        // asked again while it holds it: the same request, still granted
        const holding = this.#grantedRequest();
        if (holding) {
          reply(BfcpPrimitive.FloorRequestStatus, [this.#requestInformation(holding.id, BfcpRequestStatus.Granted)]);
          return;
        }
        const id = (this.#lastRequestId = (this.#lastRequestId % 0xffff) + 1);
        const decision = this.#handler.request();
        if (decision.granted) {
          this.#request = { id, status: BfcpRequestStatus.Granted };
          reply(BfcpPrimitive.FloorRequestStatus, [this.#requestInformation(id, BfcpRequestStatus.Granted)]);
          this.#log.info({ conferenceId: this.conferenceId }, 'a SIP call was given the content floor (BFCP)');
          this.#floorStatusChanged();
        } else {
          reply(BfcpPrimitive.FloorRequestStatus, [this.#requestInformation(id, BfcpRequestStatus.Denied, decision.reason)]);
        }
        return;
      }
      case BfcpPrimitive.FloorRelease: {
        const request = this.#namedRequest(message);
        if (!request) return;
        this.#request = undefined;
        this.#handler.release();
        reply(BfcpPrimitive.FloorRequestStatus, [this.#requestInformation(request.id, BfcpRequestStatus.Released)]);
        this.#floorStatusChanged();
        return;
      }
      case BfcpPrimitive.FloorRequestQuery: {
        const request = this.#namedRequest(message);
        if (request) reply(BfcpPrimitive.FloorRequestStatus, [this.#requestInformation(request.id, request.status)]);
        return;
      }
      case BfcpPrimitive.FloorQuery: {
        const floors = uint16Attributes(message, BfcpAttributeType.FloorId);
        if (floors.some((floor) => floor !== this.floorId)) {
          this.#send(errorReply(message, BfcpErrorCode.InvalidFloorId, `chỉ có tầng nội dung ${this.floorId}`));
          return;
        }
        // an empty query asks for nothing more (RFC 8855 §13.1.3)
        this.#watching = floors.length > 0;
        if (this.#watching) reply(BfcpPrimitive.FloorStatus, this.#floorStatus());
        else reply(BfcpPrimitive.FloorStatus, []);
        return;
      }
      case BfcpPrimitive.Goodbye:
        reply(BfcpPrimitive.GoodbyeAck, []);
        this.#socket?.end();
        return;
      default:
        if (unanswered.has(message.primitive)) return;
        this.#send(errorReply(message, BfcpErrorCode.UnknownPrimitive, `bản tin BFCP ${message.primitive} không được hỗ trợ`));
    }
  }

  /** The call's request the message names (FLOOR-REQUEST-ID); none: the Error that says so is sent. */
  #namedRequest(message: BfcpMessage): { id: number; status: number } | undefined {
    const id = uint16Attribute(message, BfcpAttributeType.FloorRequestId);
    if (id !== undefined && id === this.#request?.id) return this.#request;
    this.#send(errorReply(message, BfcpErrorCode.FloorRequestIdDoesNotExist, 'không có yêu cầu tầng này'));
    return undefined;
  }

  /** The floor is no longer the room system's: released, revoked or its connection gone. */
  #giveBack(): void {
    if (!this.granted) return;
    this.#request = undefined;
    this.#handler.release();
  }

  /** A client watching the floor is told its new state (FloorStatus, transaction ID 0). */
  #floorStatusChanged(): void {
    if (this.#watching) this.#send(this.#encode(BfcpPrimitive.FloorStatus, 0, this.#floorStatus()));
  }

  /**
   * The floor's state (RFC 8855 §5.3.8): its ID and, when it is held, the request holding it: this call's, or
   * another site's (a request of the hub's, numbered 0: the room system cannot act on it).
   */
  #floorStatus(): BfcpAttribute[] {
    const floor = attribute.floorId(this.floorId);
    const holding = this.#grantedRequest();
    if (holding) return [floor, this.#requestInformation(holding.id, BfcpRequestStatus.Granted)];
    if (this.#heldElsewhere) return [floor, this.#requestInformation(0, BfcpRequestStatus.Granted)];
    return [floor];
  }

  /** FLOOR-REQUEST-INFORMATION for request `id`: its overall status (with why, if given) and its floor's. */
  #requestInformation(id: number, status: number, info?: string): BfcpAttribute {
    return attribute.floorRequestInformation(id, [
      attribute.overallRequestStatus(id, [attribute.requestStatus(status), ...(info ? [attribute.statusInfo(info)] : [])]),
      attribute.floorRequestStatus(this.floorId),
    ]);
  }

  #encode(primitive: number, transactionId: number, attributes: BfcpAttribute[]): Buffer {
    return encodeBfcpMessage({
      version: this.#version,
      primitive,
      conferenceId: this.conferenceId,
      transactionId,
      userId: this.userId,
      attributes,
    });
  }

  #send(bytes: Buffer): void {
    const socket = this.#socket;
    if (socket && !socket.destroyed && socket.writable) socket.write(bytes);
  }
}
