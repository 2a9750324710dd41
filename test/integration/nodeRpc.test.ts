import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { type NodeMessageRejectedError, NodeRpc, RemoteCallError } from '../../cluster/index.js';
import { NodeMessageSeal } from '../../cluster/NodeMessageSeal.js';
import { nodeCall, nodeNotice } from '../../shared/nodeMethods.js';
import { startRedis, type TestRedis } from '../support/clusterServices.js';
import { freePort } from '../support/freePort.js';

const clusterSecret = randomBytes(32).toString('hex');
const pipeKey = randomBytes(30).toString('base64');
const pipeEnd = z.object({ ip: z.ipv4(), port: z.number().int() });
const pipeOpen = nodeCall(
  'pipe.open',
  pipeEnd,
  z.object({ ip: z.ipv4(), port: z.number().int(), srtpParameters: z.object({ cryptoSuite: z.string(), keyBase64: z.string() }) }),
);
const pipeRelease = nodeNotice('pipe.release', z.object({ producerId: z.string() }));
/** The same methods as a node of another version declares them. */
const olderNode = {
  /** It expects the port as a string in the answer. */
  pipeOpen: nodeCall('pipe.open', pipeEnd, z.object({ port: z.string() })),
  /** It sends the address under another name. */
  pipeOpenByHost: nodeCall('pipe.open', z.object({ host: z.string(), port: z.number() }), z.unknown()),
  /** It calls what this version sends as a notice. */
  pipeRelease: nodeCall('pipe.release', z.object({ producerId: z.string() }), z.unknown()),
  /** It asks for a method this version no longer has. */
  pipeRenegotiate: nodeCall('pipe.renegotiate', z.object({ producerId: z.string() }), z.unknown()),
};

/**
 * Two nodes' NodeRpc over a real Redis with a password, and someone else who can publish on it: whatever
 * is not sealed with the cluster's secret, is replayed, stale, meant for another node or malformed is
 * dropped and reported, never served, and the node goes on answering its peers.
 */
describe('calls between hub nodes over Redis', () => {
  let redis: TestRedis;
  const clients: RedisClientType[] = [];
  const rejected: NodeMessageRejectedError[] = [];
  const errors: unknown[] = [];
  const served: Array<{ from: string; params: unknown }> = [];
  let nodeA: NodeRpc;
  let nodeB: NodeRpc;
  /** Everything published on node B's channel, as an onlooker on Redis reads it. */
  const onNodeB: string[] = [];
  /** And on node A's (the answers B sends). */
  const onNodeA: string[] = [];
  let outsider: RedisClientType;

  const client = async (url = redis.url) => {
    const c = createClient({ url }) as RedisClientType;
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };
  const node = async (nodeId: string) =>
    NodeRpc.listen(
      nodeId,
      { publisher: await client(), subscriber: await client() },
      { clusterSecret, timeoutMs: 30_000, onError: (e) => errors.push(e), onRejected: (e) => rejected.push(e) },
    );
  /** Publishes `raw` on node B's channel and waits until node B has dropped it; answers why. */
  const droppedByB = async (raw: string): Promise<string> => {
    const before = rejected.length;
    await outsider.publish('hub:rpc:node-b', raw);
    await vi.waitFor(() => expect(rejected.length).toBeGreaterThan(before), { timeout: 30_000, interval: 20 });
    return rejected.at(-1)!.message;
  };

  beforeAll(async () => {
    redis = await startRedis(await freePort());
    nodeA = await node('node-a');
    nodeB = await node('node-b');
    nodeB.handle(pipeRelease, () => undefined);
    nodeB.handle(pipeOpen, (from, params) => {
      served.push({ from, params });
      return { ip: '127.0.0.1', port: 40123, srtpParameters: { cryptoSuite: 'AEAD_AES_256_GCM', keyBase64: pipeKey } };
    });
    const onlooker = await client();
    await onlooker.subscribe('hub:rpc:node-b', (raw) => onNodeB.push(raw));
    await onlooker.subscribe('hub:rpc:node-a', (raw) => onNodeA.push(raw));
    outsider = await client();
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis.stop();
  });

  it('a node answers a node; an onlooker on Redis reads neither the call nor the pipe’s key in the answer', async () => {
    const answer = await nodeA.call('node-b', pipeOpen, { ip: '127.0.0.2', port: 40000 });
    expect(answer.srtpParameters.keyBase64).toBe(pipeKey);
    expect(served).toEqual([{ from: 'node-a', params: { ip: '127.0.0.2', port: 40000 } }]);
    await vi.waitFor(() => expect(onNodeA.length).toBeGreaterThan(0), { timeout: 30_000, interval: 20 });
    for (const raw of [...onNodeA, ...onNodeB]) {
      expect(raw).not.toContain(pipeKey);
      expect(raw).not.toContain('pipe.open');
      expect(raw).not.toContain('127.0.0.2');
    }
  });

  it('drops what is not sealed with the cluster’s secret, a replay, a stale or misaddressed message, and garbage; answers on', async () => {
    const forged = {
      kind: 'call',
      id: randomUUID(),
      from: 'node-a',
      to: 'node-b',
      at: Date.now(),
      nonce: randomUUID(),
      method: 'pipe.open',
      params: { ip: '10.9.9.9', port: 5000 },
    };
    expect(await droppedByB(JSON.stringify(forged))).toMatch(/not sealed/);
    expect(await droppedByB(new NodeMessageSeal(randomBytes(32).toString('hex')).seal(forged))).toMatch(/not sealed/);
    expect(await droppedByB('not json at all')).toMatch(/not sealed/);

    // a real call, captured on Redis and sent again
    const captured = onNodeB.length;
    await nodeA.call('node-b', pipeOpen, { ip: '127.0.0.3', port: 40001 });
    const original = onNodeB[captured]!;
    expect(await droppedByB(original)).toMatch(/replayed/);

    // sealed with the secret (taken from a node long ago, say) but old, or sent to another node
    const seal = new NodeMessageSeal(clusterSecret);
    expect(await droppedByB(seal.seal({ ...forged, at: Date.now() - 120_000 }))).toMatch(/too old/);
    expect(await droppedByB(seal.seal({ ...forged, to: 'node-c' }))).toMatch(/meant for node node-c/);
    expect(await droppedByB(seal.seal({ ...forged, kind: 'shout' }))).toMatch(/malformed/);

    expect(served.map((s) => s.params)).toEqual([
      { ip: '127.0.0.2', port: 40000 },
      { ip: '127.0.0.3', port: 40001 },
    ]);
    // the listener lives on
    await nodeA.call('node-b', pipeOpen, { ip: '127.0.0.4', port: 40002 });
    expect(served).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('refuses parameters and answers that do not fit their schemas', async () => {
    const before = rejected.length;
    await expect(nodeA.call('node-b', pipeOpen, { ip: 'not an address', port: 1 })).rejects.toThrow(
      new RemoteCallError('pipe.open: malformed parameters (✖ Invalid IPv4 address\n  → at ip)'),
    );
    expect(rejected.slice(before).map((error) => [error.message, error.claimedFrom])).toEqual([
      ['node message dropped: pipe.open: malformed parameters (✖ Invalid IPv4 address\n  → at ip)', 'node-a'],
    ]);
    await expect(nodeA.call('node-b', olderNode.pipeOpen, { ip: '127.0.0.5', port: 1 })).rejects.toThrow(
      /malformed answer from node node-b/,
    );
  });

  it('a node of another version is refused with the reason, logged at the node that refused and answered to the caller', async () => {
    const before = rejected.length;
    const servedBefore = served.length;
    await expect(nodeA.call('node-b', olderNode.pipeOpenByHost, { host: '127.0.0.6', port: 2 })).rejects.toThrow(
      /pipe.open: malformed parameters/,
    );
    await expect(nodeA.call('node-b', olderNode.pipeRelease, { producerId: 'p1' })).rejects.toThrow(
      new RemoteCallError('pipe.release is a notice on node node-b, not a call'),
    );
    await expect(nodeA.call('node-b', olderNode.pipeRenegotiate, { producerId: 'p1' })).rejects.toThrow(
      new RemoteCallError('node node-b serves no pipe.renegotiate'),
    );
    expect(rejected.slice(before).map((error) => error.message)).toEqual([
      expect.stringMatching(
        /^node message dropped: pipe.open: malformed parameters \(✖ Invalid input: expected string, received undefined\n {2}→ at ip/,
      ),
      'node message dropped: pipe.release is a notice on node node-b, not a call',
      'node message dropped: node node-b serves no pipe.renegotiate',
    ]);
    expect(served).toHaveLength(servedBefore);
    expect(errors).toEqual([]);
  });

  it('Redis itself refuses a client without its password', async () => {
    const anonymous = createClient({ url: redis.url.replace(/:[^:@/]+@/, '') }) as RedisClientType;
    anonymous.on('error', () => undefined);
    await anonymous.connect();
    clients.push(anonymous);
    await expect(anonymous.publish('hub:rpc:node-b', 'anything')).rejects.toThrow(/NOAUTH/);
  });
});
