import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CertificateError } from './errors.js';
import type { IssuedCertificate, LocalCertificateAuthorityOptions, ServerIdentity } from './LocalCertificateAuthorityTypes.js';

const dayMs = 86_400_000;

/**
 * A certificate authority of the hub's own, for a province network without a public name: created once
 * (ECDSA P-256, valid for years), it issues the server a certificate for the machine's names and
 * addresses, reissued at start-up before it expires or when the machine gains a name or address.
 * Debian's openssl does the cryptography; node:crypto's X509Certificate reads the results.
 */
export class LocalCertificateAuthority {
  readonly #dir: string;
  readonly #organisation: string;
  readonly #caValidityDays: number;
  readonly #serverValidityDays: number;
  readonly #renewBeforeDays: number;
  readonly #now: () => Date;

  constructor(options: LocalCertificateAuthorityOptions) {
    this.#dir = options.dir;
    this.#organisation = options.organisation ?? 'Province meeting hub';
    this.#caValidityDays = options.caValidityDays ?? 3650;
    // browsers refuse server certificates valid for longer than 398 days
    this.#serverValidityDays = options.serverValidityDays ?? 397;
    this.#renewBeforeDays = options.renewBeforeDays ?? 30;
    this.#now = options.now ?? (() => new Date());
  }

  get caCertFile(): string {
    return path.join(this.#dir, 'ca.crt');
  }

  /** The CA (created if missing) and a server certificate valid now for `identity` (issued if needed). */
  ensure(identity: ServerIdentity): IssuedCertificate {
    fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    // a CA that cannot be read (a start before this version, cut off while writing it) is made again: nothing can use it
    if (!readCertificate(this.caCertFile) || !readableKey(this.#file('ca.key'))) this.#createAuthority();
    const certFile = this.#file('server.crt');
    const keyFile = this.#file('server.key');
    const current = readableKey(keyFile) ? readCertificate(certFile) : undefined;
    if (!current || !this.#stillGood(current, identity)) this.#issueServer(identity);
    const issued = new X509Certificate(fs.readFileSync(certFile));
    return { caCertFile: this.caCertFile, certFile, keyFile, validTo: new Date(issued.validTo) };
  }

  #file(name: string): string {
    return path.join(this.#dir, name);
  }

  #stillGood(cert: X509Certificate, identity: ServerIdentity): boolean {
    const ca = new X509Certificate(fs.readFileSync(this.caCertFile));
    if (!cert.verify(ca.publicKey)) return false;
    const renewAt = new Date(cert.validTo).getTime() - this.#renewBeforeDays * dayMs;
    if (this.#now().getTime() >= renewAt) return false;
    const names = new Set((cert.subjectAltName ?? '').split(', '));
    return (
      identity.hostNames.every((name) => names.has(`DNS:${name}`)) &&
      identity.addresses.every((address) => names.has(`IP Address:${canonicalAddress(address)}`))
    );
  }

  #createAuthority(): void {
    const key = this.#file('ca.key');
    newPrivateKey(key);
    const certificate = openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-sha256',
      '-days',
      String(this.#caValidityDays),
      '-subj',
      `/O=${this.#organisation}/CN=${this.#organisation} local CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    writeWhole(this.caCertFile, certificate);
    // a new CA invalidates whatever the old one signed
    fs.rmSync(this.#file('server.crt'), { force: true });
  }

  #issueServer(identity: ServerIdentity): void {
    const key = this.#file('server.key');
    const request = this.#file('server.csr');
    const extensions = this.#file('server.ext');
    const names = [...identity.hostNames.map((n) => `DNS:${n}`), ...identity.addresses.map((a) => `IP:${a}`)];
    if (names.length === 0) throw new CertificateError('a server certificate needs at least one host name or address');
    newPrivateKey(key);
    openssl([
      'req',
      '-new',
      '-key',
      key,
      '-subj',
      `/O=${this.#organisation}/CN=${identity.hostNames[0] ?? identity.addresses[0]}`,
      '-out',
      request,
    ]);
    fs.writeFileSync(
      extensions,
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        `subjectAltName=${names.join(',')}`,
      ].join('\n'),
    );
    try {
      const certificate = openssl([
        'x509',
        '-req',
        '-in',
        request,
        '-CA',
        this.caCertFile,
        '-CAkey',
        this.#file('ca.key'),
        '-set_serial',
        `0x${randomBytes(16).toString('hex')}`,
        '-sha256',
        '-days',
        String(this.#serverValidityDays),
        '-extfile',
        extensions,
      ]);
      writeWhole(this.#file('server.crt'), certificate);
    } finally {
      fs.rmSync(request, { force: true });
      fs.rmSync(extensions, { force: true });
    }
  }
}

/** A P-256 key written as mode 0600 from the first byte (openssl's own -out would create it world-readable first). */
function newPrivateKey(file: string): void {
  writeWhole(file, openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']), 0o600);
}

/**
 * Writes `file` whole or not at all: into a temporary file beside it, then renamed over it. Neither a reader (a browser
 * downloading /ca.crt, a hub starting again) nor a crash ever finds it half-written (openssl's `-out` creates the file
 * empty, then writes it).
 */
function writeWhole(file: string, data: Buffer, mode = 0o644): void {
  const temporary = `${file}.${process.pid}.partial`;
  fs.rmSync(temporary, { force: true });
  fs.writeFileSync(temporary, data, { mode });
  fs.renameSync(temporary, file);
}

/** The certificate in `file`; undefined when there is none, or it cannot be read as one. */
function readCertificate(file: string): X509Certificate | undefined {
  try {
    return new X509Certificate(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

function readableKey(file: string): boolean {
  try {
    createPrivateKey(fs.readFileSync(file));
    return true;
  } catch {
    return false;
  }
}

function openssl(args: string[]): Buffer {
  try {
    return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    throw new CertificateError(`openssl ${args[0]} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** How X509Certificate spells an address in subjectAltName (IPv6 in full, upper case). */
function canonicalAddress(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.map((g) => g.toUpperCase().replace(/^0+(?=.)/, '')).join(':');
}
