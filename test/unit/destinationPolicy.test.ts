import { describe, expect, it } from 'vitest';
import { DestinationPolicy, DestinationRefusedError } from '../../hub/destinations/DestinationPolicy.js';

const refusal = (policy: DestinationPolicy, url: string) =>
  policy.check(new URL(url)).then(
    () => 'allowed',
    (error: unknown) => (error instanceof DestinationRefusedError ? error.message : `unexpected: ${String(error)}`),
  );

describe('where outputs may be pushed and RTSP feeds pulled from', () => {
  const ownServices = () => [
    { ports: [3000, 3000] as [number, number] },
    { ports: [19350, 19449] as [number, number] },
    { host: '10.0.0.9', ports: [6379, 6379] as [number, number] },
  ];

  it('never the hub’s own services, on its own addresses or on its Redis and database hosts', async () => {
    const anywhere = new DestinationPolicy({ allowed: [], ownServices });
    expect(await refusal(anywhere, 'rtmp://127.0.0.1:3000/live/khoa')).toBe(
      '127.0.0.1:3000 là một dịch vụ của chính máy chủ họp: không được dùng làm nơi nhận hay nguồn.',
    );
    expect(await refusal(anywhere, 'rtmp://localhost:19400/live/khoa')).toMatch(/^localhost:19400 là một dịch vụ của chính máy chủ họp/);
    expect(await refusal(anywhere, 'srt://10.0.0.9:6379')).toMatch(/^10\.0\.0\.9:6379 là một dịch vụ/);
    // anything else, unlisted
    expect(await refusal(anywhere, 'rtmp://127.0.0.1:19530/live/khoa')).toBe('allowed');
    expect(await refusal(anywhere, 'rtmp://10.0.0.9/live/khoa')).toBe('allowed');
    expect(await refusal(anywhere, 'rtmp://khong-co-may-nay.invalid/live/khoa')).toBe('Không tìm thấy máy chủ khong-co-may-nay.invalid.');
  });

  it('only the listed subnets and host names, when the operator lists them', async () => {
    const listed = new DestinationPolicy({ allowed: ['10.20.0.0/16', 'localhost'], ownServices });
    expect(await refusal(listed, 'rtsp://10.20.3.4/luong')).toBe('allowed');
    expect(await refusal(listed, 'rtmp://localhost:19530/live/khoa')).toBe('allowed');
    expect(await refusal(listed, 'rtsp://10.30.0.1/luong')).toBe(
      '10.30.0.1 không nằm trong các mạng được phép (danh sách của quản trị viên).',
    );
    // a listed name is still not the hub's own service
    expect(await refusal(listed, 'rtmp://localhost:3000/live/khoa')).toMatch(/là một dịch vụ của chính máy chủ họp/);
  });
});
