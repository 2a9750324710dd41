import { describe, expect, it } from 'vitest';
import { hubAddresses, listenText, startGreeting } from '../../hub/startGreeting.js';

describe('what the operator’s terminal says when the hub is up', () => {
  it('names the scheme the hub serves', () => {
    expect(listenText('http://127.0.0.1:3000', true)).toBe('Server listening at https://127.0.0.1:3000');
    expect(listenText('http://127.0.0.1:3000', false)).toBe('Server listening at http://127.0.0.1:3000');
  });

  it('gives the address to open, and in sample mode whom to sign in as', () => {
    const options = { https: true, host: '127.0.0.1', port: 3000, defaultSamplePassword: 'hop-truc-tuyen' };
    expect(startGreeting(options)).toEqual(['Máy chủ họp đã sẵn sàng: mở https://127.0.0.1:3000 trên trình duyệt.']);
    const sample = startGreeting({ ...options, samplePassword: 'hop-truc-tuyen' });
    expect(sample[1]).toMatch(/^Chế độ mẫu \(dữ liệu thử\): đăng nhập bằng admin .*chu-toa .*mật khẩu hop-truc-tuyen\.$/);
    // a password the operator chose is named, never printed
    const chosen = startGreeting({ ...options, samplePassword: 'mat-khau-rieng-cua-tinh' }).join('\n');
    expect(chosen).not.toContain('mat-khau-rieng-cua-tinh');
    expect(chosen).toContain('SAMPLE_PASSWORD');
  });

  it('lists localhost first, then the LAN addresses, when the hub listens everywhere', () => {
    const everywhere = hubAddresses({ https: true, host: '0.0.0.0', port: 3000 });
    expect(everywhere[0]).toBe('https://localhost:3000');
    for (const address of everywhere.slice(1)) expect(address).toMatch(/^https:\/\/\d+\.\d+\.\d+\.\d+:3000$/);
  });
});
