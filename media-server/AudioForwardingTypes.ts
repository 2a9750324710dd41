export interface AudioForwardingOptions {
  /** The most microphones forwarded at once (3: the loudest). */
  maxForwarded: number;
  /** How long a forwarded site keeps its place after it was last heard. */
  holdMs?: number;
  /** How often levels are reported. */
  intervalMs?: number;
  /** Below this level (dBov) a microphone counts as silent. */
  thresholdDb?: number;
}
