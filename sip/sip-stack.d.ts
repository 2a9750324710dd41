/** The part of kirm's `sip` 0.0.6 (RFC 3261 transport and transaction layers) the hub uses; it ships no types. */
declare module 'sip' {
  export interface SipUri {
    schema?: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null | undefined>;
    headers?: Record<string, string>;
  }

  export interface NameAddr {
    name?: string;
    uri: string;
    params: Record<string, string | null | undefined>;
  }

  export interface Via {
    version?: string;
    protocol?: string;
    host?: string;
    port?: number;
    params: Record<string, string | number | null | undefined>;
  }

  export interface SipHeaders {
    to: NameAddr;
    from: NameAddr;
    'call-id': string;
    cseq: { seq: number; method: string };
    via?: Via[];
    contact?: NameAddr[] | string;
    'content-type'?: string;
    'content-length'?: number;
    [name: string]: unknown;
  }

  export interface SipRequest {
    method: string;
    uri: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export interface SipResponse {
    status: number;
    reason: string;
    version?: string;
    headers: SipHeaders;
    content?: string;
  }

  export type SipMessage = SipRequest | SipResponse;

  export interface Remote {
    protocol: string;
    address: string;
    port: number;
  }

  export interface StackOptions {
    port?: number;
    address?: string;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    tls?: { key: string | Buffer; cert: string | Buffer };
    tls_port?: number;
    maxBytesHeaders?: number;
    maxContentLength?: number;
    logger?: { send?(m: SipMessage, target: Remote): void; recv?(m: SipMessage, remote: Remote): void; error?(e: unknown): void };
  }

  export interface Stack {
    send(message: SipMessage, callback?: (response: SipResponse) => void): void;
    destroy(): void;
    hostname(): string;
  }

  export function create(options: StackOptions, onRequest: (request: SipRequest, remote: Remote) => void): Stack;
  export function makeResponse(request: SipRequest, status: number, reason?: string): SipResponse;
  export function parseUri(uri: string): SipUri | undefined;
  export function stringifyUri(uri: SipUri | string): string;
  export function parse(message: string): SipMessage | undefined;
  export function stringify(message: SipMessage): string;
  export function generateBranch(): string;
}

/** The digest arithmetic of kirm's `sip` (RFC 2617: MD5, with or without qop). */
declare module 'sip/digest.js' {
  export function calculateUserRealmPasswordHash(user: string, realm: string, password: string): string;
  export function calculateDigest(ctx: {
    ha1: string;
    method: string;
    nonce: string;
    nc?: string;
    cnonce?: string;
    qop?: string;
    uri: string;
    entity?: string;
  }): string;
}
