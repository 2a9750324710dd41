import os from 'node:os';

export interface GreetingOptions {
  https: boolean;
  host: string;
  port: number;
  /** Sample mode's shared password, or undefined for real use. */
  samplePassword?: string;
  /** The password sample mode uses when SAMPLE_PASSWORD is not set: public (the README prints it). */
  defaultSamplePassword: string;
}

/** fastify's "listening" line names the scheme of a server it made itself; the hub's may be HTTPS. */
export function listenText(address: string, https: boolean): string {
  return `Server listening at ${https ? address.replace(/^http:/, 'https:') : address}`;
}

/** Where browsers reach the hub: localhost, and each LAN address when it listens on every interface. */
export function hubAddresses({ https, host, port }: Pick<GreetingOptions, 'https' | 'host' | 'port'>): string[] {
  const scheme = https ? 'https' : 'http';
  const everywhere = host === '0.0.0.0' || host === '::';
  const hosts = everywhere
    ? [
        'localhost',
        ...Object.values(os.networkInterfaces())
          .flat()
          .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
          .map((nic) => nic!.address),
      ]
    : [host];
  return hosts.map((name) => `${scheme}://${name}:${port}`);
}

/**
 * What the operator's terminal says once the hub is up, in Vietnamese: the address to open, and in sample mode
 * whom to sign in as. A SAMPLE_PASSWORD an operator chose is named, not printed.
 */
export function startGreeting(options: GreetingOptions): string[] {
  const [first, ...others] = hubAddresses(options);
  const lines = [
    `Máy chủ họp đã sẵn sàng: mở ${first} trên trình duyệt${others.length ? ` (trong mạng nội bộ: ${others.join(', ')})` : ''}.`,
  ];
  if (options.samplePassword !== undefined) {
    const password =
      options.samplePassword === options.defaultSamplePassword
        ? `mật khẩu ${options.samplePassword}`
        : 'mật khẩu đặt trong SAMPLE_PASSWORD';
    lines.push(
      `Chế độ mẫu (dữ liệu thử): đăng nhập bằng admin (quản trị), chu-toa (chủ tọa), thu-ky (thư ký), giam-sat (giám sát) ` +
        `hoặc tài khoản của một điểm cầu (xa-01, so-nv, …), ${password}.`,
    );
  }
  return lines;
}
