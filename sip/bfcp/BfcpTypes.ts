/** BFCP (RFC 8855) as the hub speaks it with room systems: the numbers on the wire, and a message as read and written. */

/** The primitives (RFC 8855 §5.1). */
export const BfcpPrimitive = {
  FloorRequest: 1,
  FloorRelease: 2,
  FloorRequestQuery: 3,
  FloorRequestStatus: 4,
  UserQuery: 5,
  UserStatus: 6,
  FloorQuery: 7,
  FloorStatus: 8,
  ChairAction: 9,
  ChairActionAck: 10,
  Hello: 11,
  HelloAck: 12,
  Error: 13,
  FloorRequestStatusAck: 14,
  ErrorAck: 15,
  FloorStatusAck: 16,
  Goodbye: 17,
  GoodbyeAck: 18,
} as const;

/** The attributes (RFC 8855 §5.2). */
export const BfcpAttributeType = {
  BeneficiaryId: 1,
  FloorId: 2,
  FloorRequestId: 3,
  Priority: 4,
  RequestStatus: 5,
  ErrorCode: 6,
  ErrorInfo: 7,
  ParticipantProvidedInfo: 8,
  StatusInfo: 9,
  SupportedAttributes: 10,
  SupportedPrimitives: 11,
  UserDisplayName: 12,
  UserUri: 13,
  BeneficiaryInformation: 14,
  FloorRequestInformation: 15,
  RequestedByInformation: 16,
  FloorRequestStatus: 17,
  OverallRequestStatus: 18,
} as const;

/** The attributes that group others after a 16-bit identifier of their own. */
export const groupedAttributeTypes: ReadonlySet<number> = new Set([14, 15, 16, 17, 18]);

/** A floor request's states (REQUEST-STATUS, RFC 8855 §5.2.5). */
export const BfcpRequestStatus = {
  Pending: 1,
  Accepted: 2,
  Granted: 3,
  Denied: 4,
  Cancelled: 5,
  Released: 6,
  Revoked: 7,
} as const;

/** The error codes (RFC 8855 §5.2.6) the hub sends. */
export const BfcpErrorCode = {
  ConferenceDoesNotExist: 1,
  UserDoesNotExist: 2,
  UnknownPrimitive: 3,
  UnknownMandatoryAttribute: 4,
  UnauthorizedOperation: 5,
  InvalidFloorId: 6,
  FloorRequestIdDoesNotExist: 7,
  MaxFloorRequestsReached: 8,
  UnableToParse: 10,
  UnsupportedVersion: 12,
  IncorrectMessageLength: 13,
} as const;

/**
 * One attribute: its type, its M (mandatory) bit, and either its contents (a simple attribute, padding left out) or,
 * for a grouped one, its 16-bit identifier and the attributes it holds.
 */
export type BfcpAttribute =
  | { type: number; mandatory: boolean; grouped?: false; contents: Buffer }
  | { type: number; mandatory: boolean; grouped: true; id: number; children: BfcpAttribute[] };

/** One message: its common header's fields (RFC 8855 §5.1) and its attributes. */
export interface BfcpMessage {
  /** 1 over TCP (as RFC 4582 had it), 2 over UDP. */
  version: 1 | 2;
  primitive: number;
  conferenceId: number;
  /** A request's, repeated by its response; 0 in what the server sends unasked over TCP. */
  transactionId: number;
  userId: number;
  attributes: BfcpAttribute[];
}

/** What a call's floor control asks of its meeting (the presentation floor). */
export interface BfcpFloorHandler {
  /** The room system asks to present: granted, or refused with why (in Vietnamese, as STATUS-INFO). */
  request(): { granted: true } | { granted: false; reason: string };
  /** It gives the floor back (its request released, its connection gone). */
  release(): void;
}
