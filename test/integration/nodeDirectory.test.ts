import { createClient, type RedisClientType } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingHomes, NodeDirectory } from '../../cluster/index.js';
import { startRedis, type TestRedis } from '../support/clusterServices.js';
import { freePort } from '../support/freePort.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the nodes’ directory in Redis', () => {
  let redis: TestRedis;
  const clients: RedisClientType[] = [];
  const client = async () => {
    const c = createClient({ url: redis.url }) as RedisClientType;
    await c.connect();
    clients.push(c);
    return c;
  };
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
  });
  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.destroy();
    await redis.stop();
  });

  it('lists the nodes publishing themselves with their workers’ load; a stopped node leaves at once, a silent one when its entry expires', async () => {
    let load = 3;
    const options = { publishEveryMs: 200, expireAfterMs: 800 };
    const one = new NodeDirectory(await client(), {
      nodeId: 'node1',
      url: 'http://10.0.0.11:3000',
      workers: () => [{ index: 0, load, live: true }],
      ...options,
    });
    const two = new NodeDirectory(await client(), { nodeId: 'node2', url: 'http://10.0.0.12:3000', workers: () => [], ...options });
    const errors: unknown[] = [];
    await one.start((e) => errors.push(e));
    await two.start((e) => errors.push(e));
    expect((await one.nodes()).map((n) => [n.nodeId, n.url])).toEqual([
      ['node1', 'http://10.0.0.11:3000'],
      ['node2', 'http://10.0.0.12:3000'],
    ]);
    load = 7;
    await expect.poll(async () => (await two.nodes())[0]!.workers).toEqual([{ index: 0, load: 7, live: true }]);

    await two.stop();
    expect((await one.nodes()).map((n) => n.nodeId)).toEqual(['node1']);

    // node 3 dies: it stops publishing (its connection is gone) and cannot remove itself; its entry expires
    const deadConnection = await client();
    const dying = new NodeDirectory(deadConnection, { nodeId: 'node3', url: 'http://10.0.0.13:3000', workers: () => [], ...options });
    await dying.start(() => undefined);
    expect((await one.nodes()).map((n) => n.nodeId)).toEqual(['node1', 'node3']);
    deadConnection.destroy();
    await expect.poll(async () => (await one.nodes()).map((n) => n.nodeId)).toEqual(['node1']);
    await one.stop();
    // its timer, which a dead process would not have kept
    await dying.stop().catch(() => undefined);
    expect(errors).toEqual([]);
  });

  it('skips an entry that does not read as a node (garbage, another version’s shape) and lists the rest', async () => {
    const one = new NodeDirectory(await client(), { nodeId: 'node1', url: 'http://10.0.0.11:3000', workers: () => [] });
    await one.start(() => undefined);
    const writer = await client();
    await writer.set('hub:node:garbage', 'not json {', { expiration: { type: 'PX', value: 60_000 } });
    await writer.set('hub:node:older', JSON.stringify({ nodeId: 'older', address: '10.0.0.9' }), {
      expiration: { type: 'PX', value: 60_000 },
    });
    try {
      expect((await one.nodes()).map((n) => n.nodeId)).toEqual(['node1']);
    } finally {
      await writer.del(['hub:node:garbage', 'hub:node:older']);
      await one.stop();
    }
  });

  it('homes a meeting on the least loaded node alive (the asking node among equals), keeps it there, and moves it when its node is gone', async () => {
    const options = { publishEveryMs: 200, expireAfterMs: 800 };
    const loads: Record<string, number> = { nodeA: 4, nodeB: 1, nodeC: 1 };
    const directories = Object.keys(loads).map(
      async (nodeId) =>
        new NodeDirectory(await client(), {
          nodeId,
          url: `http://${nodeId}:3000`,
          workers: () => [{ index: 0, load: loads[nodeId]!, live: true }],
          ...options,
        }),
    );
    const [a, b, c] = await Promise.all(directories);
    for (const directory of [a!, b!, c!]) await directory.start(() => undefined);
    const alive = new Set(['nodeA', 'nodeB', 'nodeC']);
    const homes = async (directory: NodeDirectory) =>
      new MeetingHomes(await client(), directory, (nodeId) => alive.has(nodeId), { expireAfterMs: 800, renewEveryMs: 200 });
    const asA = await homes(a!);
    const asB = await homes(b!);
    const asC = await homes(c!);
    const errors: unknown[] = [];
    // each node renews the claims it holds
    for (const h of [asA, asB, asC]) h.start((e) => errors.push(e));
    // node A asks, but B and C are less loaded: the first of them by name; node C asking picks itself
    expect(await asA.homeOf('hop-1')).toBe('nodeB');
    expect(await asC.homeOf('hop-2')).toBe('nodeC');
    // a claim stands, whoever asks and however the loads change, while its node renews it
    loads.nodeB = 9;
    // longer than an unrenewed claim lives
    await sleep(options.expireAfterMs * 1.5);
    expect(await asC.homeOf('hop-1')).toBe('nodeB');
    // node B leaves the directory (it died, and stopped renewing): the meeting moves to the least loaded node alive
    asB.stop();
    alive.delete('nodeB');
    expect(await asA.homeOf('hop-1')).toBe('nodeC');
    await asA.release('hop-2');
    expect(await asA.homeOf('hop-2')).toBe('nodeC');
    for (const h of [asA, asC]) h.stop();
    for (const directory of [a!, b!, c!]) await directory.stop();
    expect(errors).toEqual([]);
  });
});
