export interface CoturnOptions {
  /** Where its configuration, database and pid file are written (created). */
  dir: string;
  /** Shared with the hub, which derives each browser's credentials from it (TURN REST API). */
  secret: string;
  realm: string;
  /** Address it listens and relays on; 0.0.0.0 for every interface. */
  listenIp: string;
  /** The address browsers are told for relayed candidates when listening on every interface (NAT). */
  externalIp?: string;
  /** TURN over UDP and TCP. */
  port: number;
  /** TURN over TLS (turns:), for sites that may only open TCP to one port such as 443. */
  tlsPort: number;
  /** The certificate (with its chain) and key for TURN over TLS; without them there is no TLS listener. */
  certFile?: string;
  keyFile?: string;
  relayMinPort: number;
  relayMaxPort: number;
  /**
   * The only addresses the relay reaches: the hub's media (its workers' announced and listening addresses).
   * Every other peer, private or public, is refused, so a bridge point's credentials open no way into the
   * camera LAN, Redis or the database.
   */
  allowedPeers: string[];
  /** Relay to peers on 127.x / ::1: only for a hub and coturn sharing the loopback interface (tests). */
  allowLoopbackPeers?: boolean;
  /** Where its log goes (one line each); stderr of this process by default. */
  log?: (line: string) => void;
}
