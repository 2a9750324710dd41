import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { z } from 'zod';
import type { NodeCall, NodeNotice } from '../shared/nodeMethods.js';
import { NodeMessageRejectedError, NodeUnreachableError, RemoteCallError } from './errors.js';
import { NodeMessageSeal } from './NodeMessageSeal.js';

const channelOf = (nodeId: string) => `hub:rpc:${nodeId}`;

/** How far a message's time may be from this node's clock: older ones are replays (the nodes keep NTP time). */
const freshForMs = 30_000;

const addressed = { from: z.string().min(1), to: z.string().min(1), at: z.number(), nonce: z.uuid() };
const messageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.uuid(), method: z.string(), params: z.unknown(), ...addressed }),
  z.object({ kind: z.literal('reply'), id: z.uuid(), result: z.unknown().optional(), error: z.string().optional(), ...addressed }),
  z.object({ kind: z.literal('notify'), method: z.string(), params: z.unknown(), ...addressed }),
]);
type Message = z.infer<typeof messageSchema>;
type Unaddressed<M> = M extends unknown ? Omit<M, keyof typeof addressed> : never;

interface Handler {
  kind: 'call' | 'notice';
  /** Parses the parameters with the method's schema and serves them; throws `RefusedMessage` if they do not fit. */
  serve(from: string, params: unknown): unknown;
}

/** A message this node's version cannot serve: no such method, another kind of it, or parameters that fit no schema. */
class RefusedMessage extends Error {}

interface PendingCall {
  nodeId: string;
  /** Parses the answer with the method's result schema and settles the caller's promise. */
  answer(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface NodeRpcOptions {
  /** The secret every node of the cluster shares (CLUSTER_SECRET): messages are sealed with it. */
  clusterSecret: string;
  timeoutMs?: number;
  /** A handler's or a publish's failure. */
  onError: (error: unknown) => void;
  /** A message dropped: not sealed with the secret, malformed, replayed, or meant for another node. */
  onRejected: (error: NodeMessageRejectedError) => void;
}

/**
 * Requests between two hub nodes over Redis pub/sub: each node listens on its own channel; a call
 * is answered on the caller's. A node that does not answer within `timeoutMs` is unreachable
 * (dead, or cut off): the caller gets `NodeUnreachableError` rather than waiting forever.
 *
 * Redis is not trusted: every message is sealed with the cluster's secret (NodeMessageSeal), names its
 * sender and addressee, and carries its time and a nonce; one that fails any of it is dropped (and
 * reported), never answered, and never stops the listener. Parameters and results are parsed with
 * their schemas.
 */
export class NodeRpc {
  readonly nodeId: string;
  readonly #publisher: RedisClientType;
  readonly #subscriber: RedisClientType;
  readonly #seal: NodeMessageSeal;
  readonly #timeoutMs: number;
  readonly #handlers = new Map<string, Handler>();
  readonly #pending = new Map<string, PendingCall>();
  /** Nonces seen within the freshness window (oldest first), against replays. */
  readonly #seen = new Map<string, number>();
  readonly #onError: (error: unknown) => void;
  readonly #onRejected: (error: NodeMessageRejectedError) => void;

  private constructor(nodeId: string, publisher: RedisClientType, subscriber: RedisClientType, options: NodeRpcOptions) {
    this.nodeId = nodeId;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#seal = new NodeMessageSeal(options.clusterSecret);
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#onError = options.onError;
    this.#onRejected = options.onRejected;
  }

  /** Listens on the node's channel (`subscriber` becomes a subscriber-only connection). */
  static async listen(
    nodeId: string,
    clients: { publisher: RedisClientType; subscriber: RedisClientType },
    options: NodeRpcOptions,
  ): Promise<NodeRpc> {
    const rpc = new NodeRpc(nodeId, clients.publisher, clients.subscriber, options);
    await clients.subscriber.subscribe(channelOf(nodeId), (raw) => rpc.#receive(raw));
    return rpc;
  }

  /** `method` is served by `handler`, with the parameters parsed by the method's schema; what it returns (or throws) is the caller's answer. */
  handle<P, R>(method: NodeCall<P, R>, handler: (from: string, params: P) => R | Promise<R>): void;
  /** `method`'s notices are served by `handler`, with the parameters parsed by the method's schema. */
  handle<P>(method: NodeNotice<P>, handler: (from: string, params: P) => unknown): void;
  handle<P>(method: NodeCall<P, unknown> | NodeNotice<P>, handler: (from: string, params: P) => unknown): void {
    this.#handlers.set(method.name, {
      kind: method.kind,
      serve: (from, params) => {
        const parsed = method.params.safeParse(params);
        if (!parsed.success) throw new RefusedMessage(`${method.name}: malformed parameters (${z.prettifyError(parsed.error)})`);
        return handler(from, parsed.data);
      },
    });
  }

  /** Calls `method` on `nodeId`; its answer is parsed by the method's result schema. */
  async call<P, R>(nodeId: string, method: NodeCall<P, R>, params: P): Promise<R> {
    const id = randomUUID();
    const answer = new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new NodeUnreachableError(nodeId, `${method.name} not answered within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      const answerWith = (result: unknown) => {
        const parsed = method.result.safeParse(result);
        if (parsed.success) resolve(parsed.data);
        else reject(new RemoteCallError(`malformed answer from node ${nodeId} (${z.prettifyError(parsed.error)})`));
      };
      this.#pending.set(id, { nodeId, answer: answerWith, reject, timer });
    });
    const listeners = await this.#publish(nodeId, { kind: 'call', id, method: method.name, params });
    if (listeners === 0) this.#settle(id, { error: new NodeUnreachableError(nodeId, 'not listening') });
    return answer;
  }

  /** A one-way message (nobody waits for it; lost if the node is gone). */
  async notify<P>(nodeId: string, method: NodeNotice<P>, params: P): Promise<void> {
    await this.#publish(nodeId, { kind: 'notify', method: method.name, params });
  }

  /** Stops listening; calls still waiting fail. */
  async close(): Promise<void> {
    for (const [id] of this.#pending) this.#settle(id, { error: new NodeUnreachableError(this.nodeId, 'this node stopped') });
    await this.#subscriber.unsubscribe(channelOf(this.nodeId)).catch(() => undefined);
  }

  #publish(nodeId: string, message: Unaddressed<Message>): Promise<number> {
    const addressedMessage = { ...message, from: this.nodeId, to: nodeId, at: Date.now(), nonce: randomUUID() };
    return this.#publisher.publish(channelOf(nodeId), this.#seal.seal(addressedMessage));
  }

  #receive(raw: string): void {
    let message: Message;
    try {
      message = this.#accept(raw);
    } catch (error) {
      this.#onRejected(error instanceof NodeMessageRejectedError ? error : new NodeMessageRejectedError(String(error)));
      return;
    }
    if (message.kind === 'reply') return this.#answered(message);
    const handler = this.#handlers.get(message.method);
    const expected = message.kind === 'call' ? 'call' : 'notice';
    // a node of another version: refused with the reason, logged here and answered to a caller
    const refusal = !handler
      ? `node ${this.nodeId} serves no ${message.method}`
      : handler.kind !== expected
        ? `${message.method} is a ${handler.kind} on node ${this.nodeId}, not a ${expected}`
        : undefined;
    const served = Promise.resolve().then(() => {
      if (refusal !== undefined || !handler) throw new RefusedMessage(refusal);
      return handler.serve(message.from, message.params);
    });
    const refused = (error: unknown) => {
      if (error instanceof RefusedMessage) this.#onRejected(new NodeMessageRejectedError(error.message, message.from));
      else if (message.kind === 'notify') this.#onError(error);
    };
    served.catch(refused);
    if (message.kind === 'notify') return;
    served
      .then(
        (result) => ({ kind: 'reply' as const, id: message.id, result: result ?? null }),
        (error: unknown) => ({ kind: 'reply' as const, id: message.id, error: error instanceof Error ? error.message : String(error) }),
      )
      .then((reply) => this.#publish(message.from, reply))
      .catch((error: unknown) => this.#onError(error));
  }

  /** The message, if it was sealed with the secret, is well formed, is for this node, is fresh and was not seen before. */
  #accept(raw: string): Message {
    let opened: unknown;
    try {
      opened = this.#seal.open(raw);
    } catch {
      throw new NodeMessageRejectedError('not sealed with the cluster secret (or altered)');
    }
    const parsed = messageSchema.safeParse(opened);
    if (!parsed.success) throw new NodeMessageRejectedError(`malformed (${z.prettifyError(parsed.error)})`);
    const message = parsed.data;
    if (message.to !== this.nodeId) throw new NodeMessageRejectedError(`meant for node ${message.to}`, message.from);
    const now = Date.now();
    if (Math.abs(now - message.at) > freshForMs) throw new NodeMessageRejectedError('too old or from the future', message.from);
    for (const [nonce, at] of this.#seen) {
      if (now - at <= freshForMs) break;
      this.#seen.delete(nonce);
    }
    if (this.#seen.has(message.nonce)) throw new NodeMessageRejectedError('replayed', message.from);
    this.#seen.set(message.nonce, now);
    return message;
  }

  #answered(reply: Extract<Message, { kind: 'reply' }>): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    if (pending.nodeId !== reply.from)
      return this.#onRejected(new NodeMessageRejectedError(`answered a call made to node ${pending.nodeId}`, reply.from));
    if (reply.error !== undefined) return this.#settle(reply.id, { error: new RemoteCallError(reply.error) });
    this.#settle(reply.id, { result: reply.result });
  }

  #settle(id: string, outcome: { result: unknown } | { error: Error }): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.answer(outcome.result);
  }
}
