import type { z } from 'zod';

/**
 * What one hub node may ask of another, declared once and used by both ends (as `protocol.ts` declares the
 * socket events): the caller's parameters and the callee's answer have their schemas beside the method's
 * name, so the node that serves parses what it is sent and the node that called parses what it gets back.
 * Nodes are patched one at a time: a message from a node of another version that fits no schema is
 * refused with a reason, never cast.
 */
export interface NodeCall<P, R> {
  readonly kind: 'call';
  readonly name: string;
  readonly params: z.ZodType<P>;
  readonly result: z.ZodType<R>;
}

/** A one-way message: nobody waits for it, and it is lost if the node is gone. */
export interface NodeNotice<P> {
  readonly kind: 'notice';
  readonly name: string;
  readonly params: z.ZodType<P>;
}

export function nodeCall<P, R>(name: string, params: z.ZodType<P>, result: z.ZodType<R>): NodeCall<P, R> {
  return { kind: 'call', name, params, result };
}

export function nodeNotice<P>(name: string, params: z.ZodType<P>): NodeNotice<P> {
  return { kind: 'notice', name, params };
}
