import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CameraSimulatorFarm } from '../camera-gateway/simulator/CameraSimulatorFarm.js';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, projectRoot, seedSampleData, type Database } from '../prisma/index.js';
import { buildApp, type HubApp } from '../hub/index.js';
import { chromiumArgs, chromiumPath } from '../test/browser.js';
import { addSessionCookie } from '../test/support/sessionCookie.js';
import { signIn } from './signIn.js';
import { benchCamera } from './benchCameras.js';

export interface WallRig {
  app: HubApp;
  farm: CameraSimulatorFarm;
  /** Two supervision stations (Chromium pages on /wall), each watching every tile. */
  stations: Page[];
  browser: Browser;
  /** The hub's address, and a supervisor's session on it. */
  base: string;
  token: string;
  close(): Promise<void>;
}

/**
 * The camera benches' set-up: a hub in this process (2 mediasoup workers, SQLite), simulated cameras
 * registered through the gateway, and two supervision stations in Chromium with the wall open.
 */
export async function startWallRig(options: {
  cameras: number;
  h265Cameras: number[];
  rtspBasePort: number;
  rtcPorts: [number, number];
  /** Cameras pinned as the sample's are: their streams stay warm, so a station opens onto moving pictures. */
  pinned?: boolean;
}): Promise<WallRig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-wall-bench-'));
  const database: Database = await openDatabase({ provider: 'sqlite', url: path.join(dir, 'hub.db') });
  await seedSampleData(database.prisma);
  const media = await MediaServer.create({
    numWorkers: 2,
    listenIp: '127.0.0.1',
    rtcMinPort: options.rtcPorts[0],
    rtcMaxPort: options.rtcPorts[1],
    peersPerRouter: 200,
  });
  const app = await buildApp({
    prisma: database.prisma,
    media,
    logLevel: 'warn',
    clientDir: path.join(projectRoot, 'dist', 'client'),
    cameraKeyFile: path.join(dir, 'camera.key'),
  });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
  const farm = await CameraSimulatorFarm.start({
    cameras: options.cameras,
    rtspBasePort: options.rtspBasePort,
    h265Cameras: options.h265Cameras,
  });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app.http.close();
    await farm.close();
    await media.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    for (let i = 0; i < farm.cameras.length; i++) {
      await app.cameras.add({ ...benchCamera(farm, i), pinned: options.pinned ?? false });
    }
    const { token } = await signIn(base, 'giam-sat');
    const stations: Page[] = [];
    for (let s = 0; s < 2; s++) {
      const page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
      await addSessionCookie(page.context(), base, token);
      await page.goto(`${base}/wall`);
      stations.push(page);
    }
    return { app, farm, stations, browser, base, token, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Resolves with the ms until the tile's video presents new frames again (polled in the page every
 * 50 ms). No named helpers inside: the page gets the function's source, without tsx's helpers.
 */
export function untilTilePlays(page: Page, cameraId: number): Promise<number> {
  return page.evaluate(async (id) => {
    const started = performance.now();
    let previous = -1;
    for (;;) {
      const video = document.querySelector<HTMLVideoElement>(`[data-camera-id="${id}"] [data-testid="camera-video"]`);
      const shown = video?.getVideoPlaybackQuality().totalVideoFrames ?? 0;
      if (previous >= 0 && shown > previous) return performance.now() - started;
      previous = shown;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, cameraId);
}
