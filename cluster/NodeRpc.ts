import { randomUUID } from 'node:crypto';
import type { RedisClientType } from 'redis';
import { NodeUnreachableError, RemoteCallError } from './errors.js';

const channelOf = (nodeId: string) => `hub:rpc:${nodeId}`;

type Message =
  | { kind: 'call'; id: string; from: string; method: string; params: unknown }
  | { kind: 'reply'; id: string; result?: unknown; error?: string }
  | { kind: 'notify'; from: string; method: string; params: unknown };

export type RpcHandler = (from: string, params: never) => unknown;

/**
 * Requests between two hub nodes over Redis pub/sub: each node listens on its own channel; a call
 * is answered on the caller's. A node that does not answer within `timeoutMs` is unreachable
 * (dead, or cut off): the caller gets `NodeUnreachableError` rather than waiting forever.
 */
export class NodeRpc {
  readonly nodeId: string;
  readonly #publisher: RedisClientType;
  readonly #subscriber: RedisClientType;
  readonly #timeoutMs: number;
  readonly #handlers = new Map<string, RpcHandler>();
  readonly #pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  readonly #onError: (error: unknown) => void;

  private constructor(
    nodeId: string,
    publisher: RedisClientType,
    subscriber: RedisClientType,
    timeoutMs: number,
    onError: (e: unknown) => void,
  ) {
    this.nodeId = nodeId;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#timeoutMs = timeoutMs;
    this.#onError = onError;
  }

  /** Listens on the node's channel (`subscriber` becomes a subscriber-only connection). */
  static async listen(
    nodeId: string,
    clients: { publisher: RedisClientType; subscriber: RedisClientType },
    { timeoutMs = 5000, onError }: { timeoutMs?: number; onError: (error: unknown) => void },
  ): Promise<NodeRpc> {
    const rpc = new NodeRpc(nodeId, clients.publisher, clients.subscriber, timeoutMs, onError);
    await clients.subscriber.subscribe(channelOf(nodeId), (raw) => rpc.#receive(raw));
    return rpc;
  }

  /** `method` is served by `handler`; what it returns (or throws) is the caller's answer. */
  handle<P>(method: string, handler: (from: string, params: P) => unknown): void {
    this.#handlers.set(method, handler);
  }

  async call<R>(nodeId: string, method: string, params: unknown): Promise<R> {
    const id = randomUUID();
    const answer = new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new NodeUnreachableError(nodeId, `${method} not answered within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#pending.set(id, { resolve: resolve, reject, timer });
    });
    const message: Message = { kind: 'call', id, from: this.nodeId, method, params };
    const listeners = await this.#publisher.publish(channelOf(nodeId), JSON.stringify(message));
    if (listeners === 0) this.#settle(id, { error: new NodeUnreachableError(nodeId, 'not listening') });
    return answer;
  }

  /** A one-way message (nobody waits for it; lost if the node is gone). */
  async notify(nodeId: string, method: string, params: unknown): Promise<void> {
    const message: Message = { kind: 'notify', from: this.nodeId, method, params };
    await this.#publisher.publish(channelOf(nodeId), JSON.stringify(message));
  }

  /** Stops listening; calls still waiting fail. */
  async close(): Promise<void> {
    for (const [id] of this.#pending) this.#settle(id, { error: new NodeUnreachableError(this.nodeId, 'this node stopped') });
    await this.#subscriber.unsubscribe(channelOf(this.nodeId)).catch(() => undefined);
  }

  #receive(raw: string): void {
    const message = JSON.parse(raw) as Message;
    if (message.kind === 'reply')
      return this.#settle(
        message.id,
        message.error === undefined ? { result: message.result } : { error: new RemoteCallError(message.error) },
      );
    const handler = this.#handlers.get(message.method);
    if (message.kind === 'notify') {
      if (!handler) return this.#onError(new Error(`no handler for ${message.method}`));
      Promise.resolve()
        .then(() => handler(message.from, message.params as never))
        .catch((error: unknown) => this.#onError(error));
      return;
    }
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`node ${this.nodeId} serves no ${message.method}`);
        return handler(message.from, message.params as never);
      })
      .then(
        (result) => ({ kind: 'reply' as const, id: message.id, result: result ?? null }),
        (error: unknown) => ({ kind: 'reply' as const, id: message.id, error: error instanceof Error ? error.message : String(error) }),
      )
      .then((reply) => this.#publisher.publish(channelOf(message.from), JSON.stringify(reply)))
      .catch((error: unknown) => this.#onError(error));
  }

  #settle(id: string, outcome: { result: unknown } | { error: Error }): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.result);
  }
}
