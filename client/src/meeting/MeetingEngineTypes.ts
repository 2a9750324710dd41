/** Why the hub closed this site's place in the meeting (the engine stops and does not come back). */
export type ClosedReason = 'ended' | 'removed' | 'replaced' | 'signedOut';

/**
 * `connecting`: the first join runs; `connected`: in the meeting (waiting in the lobby or with media);
 * `restarting`: the media was lost (a dropped connection, the SFU worker's death) and a rejoin is under way;
 * `stopped`: left, closed by the hub, or given up.
 */
export type EnginePhase = 'idle' | 'connecting' | 'connected' | 'restarting' | 'stopped';

export type MeetingEngineEvents = {
  /** The transports are closed: whatever was received or sent over them is gone. */
  mediaClosed: [];
  /** The media was lost and the engine joins again by itself, spread by its reconnect policy. */
  restarting: [];
  /** The hub closed this site's place (the meeting ended, the chair removed it, another tab took it, signed out). */
  closed: [reason: ClosedReason];
  /** Every rejoin failed: the engine gave up. */
  failed: [error: Error];
};
