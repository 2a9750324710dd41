import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from './helpers.js';

describe('a station’s wall layout (GET/PUT /api/wall/layout)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.close());

  it('is each station’s own, the default until saved; bad values get a clear error and change nothing', async () => {
    const office = await hub.login('giam-sat-vp');
    const homeAffairs = await hub.login('giam-sat-nv');
    expect((await hub.api('GET', '/api/wall/layout', { token: office })).body).toEqual({
      tiles: 36,
      groupByUnit: true,
      carouselSeconds: 0,
    });
    const saved = await hub.api('PUT', '/api/wall/layout', { token: office, body: { tiles: 9, groupByUnit: false, carouselSeconds: 30 } });
    expect(saved.status).toBe(200);
    expect((await hub.api('GET', '/api/wall/layout', { token: office })).body).toEqual({
      tiles: 9,
      groupByUnit: false,
      carouselSeconds: 30,
    });
    expect((await hub.api('GET', '/api/wall/layout', { token: homeAffairs })).body).toMatchObject({ tiles: 36 });

    const badTiles = await hub.api('PUT', '/api/wall/layout', {
      token: office,
      body: { tiles: 25, groupByUnit: true, carouselSeconds: 0 },
    });
    expect(badTiles.status).toBe(400);
    expect(badTiles.body.message).toBe('Số ô: chọn 1, 4, 9, 16 hoặc 36 ô');
    const badCarousel = await hub.api('PUT', '/api/wall/layout', {
      token: office,
      body: { tiles: 4, groupByUnit: true, carouselSeconds: 2 },
    });
    expect(badCarousel.status).toBe(400);
    expect(badCarousel.body.message).toBe('Tự chuyển trang: 0 (không tự chuyển) hoặc từ 5 đến 3600 giây');
    expect((await hub.api('GET', '/api/wall/layout', { token: office })).body).toMatchObject({ tiles: 9 });
    expect((await hub.api('GET', '/api/wall/layout', { token: await hub.login('xa-01') })).status).toBe(403);
  });
});
