/** The pid of the live mediasoup worker in `slot`, as a hub's /metrics tells it (`hub_worker_info`); asked from loopback. */
export async function workerPid(hubUrl: string, slot: number): Promise<number> {
  const text = await (await fetch(`${hubUrl}/metrics`)).text();
  const match = new RegExp(`^hub_worker_info\\{worker="${slot}",pid="(\\d+)"\\} 1$`, 'm').exec(text);
  if (!match) throw new Error(`no live worker in slot ${slot}:\n${text}`);
  return Number(match[1]);
}
