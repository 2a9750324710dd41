import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromiumPath } from '../browser.js';
import type { LabHost, NetworkLabOptions } from './NetworkLabTypes.js';

/**
 * A small province LAN made of network namespaces: one namespace per host (the hub, each bridge point),
 * each with an `eth0` on a Linux bridge that lives in a namespace of its own (the switch), and this
 * process's own namespace plugged into the same switch as the operator's console (so a test can call the
 * hub's REST API and send it traffic). Each host gets its own nftables ruleset, as a commune firewall
 * would. Everything is removed by `close()`; deleting the switch's namespace also removes the console's
 * veth in this namespace.
 */
export class NetworkLab {
  readonly subnet: string;
  /** This process's address on the lab's switch. */
  readonly consoleAddress: string;
  readonly #prefix: string;
  readonly #hosts = new Map<string, LabHost>();
  readonly #namespaces: string[] = [];
  readonly #dir: string;
  readonly #children = new Set<ChildProcess>();

  private constructor(prefix: string, subnet: string, dir: string) {
    this.#prefix = prefix;
    this.subnet = subnet;
    this.consoleAddress = `${subnet}.254`;
    this.#dir = dir;
  }

  /** Creates the switch, one namespace per host (addresses .1, .2, … in host order) and the console's port. */
  static create(options: NetworkLabOptions): NetworkLab {
    // a subnet and names of this process's own, so two labs never meet: Playwright's workers running at the same
    // time have different parallel indexes, each with its own block of subnets (a bench has none: the first)
    const worker = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % 5;
    const id = worker * 50 + (process.pid % 50) + 1;
    const subnet = options.subnet ?? `10.203.${id}`;
    const prefix = `hublab${process.pid}`;
    const lab = new NetworkLab(prefix, subnet, fs.mkdtempSync(path.join(os.tmpdir(), 'hub-netlab-')));
    try {
      lab.#build(options.hosts);
    } catch (error) {
      lab.close();
      throw error;
    }
    return lab;
  }

  host(name: string): LabHost {
    const host = this.#hosts.get(name);
    if (!host) throw new Error(`no host ${name} in this lab`);
    return host;
  }

  /** Applies an nftables ruleset inside the host's namespace (replacing any earlier one). */
  firewall(name: string, ruleset: string): void {
    this.clearFirewall(name);
    execFileSync('ip', ['netns', 'exec', this.host(name).namespace, 'nft', '-f', '-'], { input: ruleset });
  }

  /** Removes the host's firewall: everything passes again. */
  clearFirewall(name: string): void {
    execFileSync('ip', ['netns', 'exec', this.host(name).namespace, 'nft', 'flush', 'ruleset']);
  }

  /** Starts a long-running process inside the host's namespace; `close()` kills it if it is still running. */
  spawn(name: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(name).namespace, command, ...args], options);
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /**
   * An executable that starts Debian's Chromium inside the host's namespace, for Playwright's
   * `executablePath`: `ip netns exec` replaces itself with Chromium, so Playwright's pipe and signals
   * reach the browser as usual.
   */
  chromiumExecutable(name: string, chromium = chromiumPath): string {
    const file = path.join(this.#dir, `chromium-${name}`);
    fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${this.host(name).namespace} ${chromium} "$@"\n`, { mode: 0o755 });
    return file;
  }

  close(): void {
    for (const child of this.#children) child.kill('SIGKILL');
    this.#children.clear();
    for (const namespace of this.#namespaces.splice(0).reverse()) {
      // whatever still runs in it (a hub's coturn outliving a killed hub, say) goes with it
      for (const pid of this.#pids(namespace)) killQuietly(pid);
      try {
        execFileSync('ip', ['netns', 'delete', namespace], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }

  #build(hostNames: string[]): void {
    const lan = this.#namespace('lan');
    ip('-n', lan, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', lan, 'link', 'set', 'br0', 'up');
    for (const [i, name] of hostNames.entries()) {
      const namespace = this.#namespace(name);
      const address = `${this.subnet}.${i + 1}`;
      ip('link', 'add', 'name', `p${i}`, 'netns', lan, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace);
      ip('-n', lan, 'link', 'set', `p${i}`, 'master', 'br0', 'up');
      ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', namespace, 'link', 'set', 'eth0', 'up');
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      this.#hosts.set(name, { name, namespace, address });
    }
    // the console: a veth from this namespace to the switch
    const consoleLink = `hl${process.pid}c`;
    ip('link', 'add', 'name', consoleLink, 'type', 'veth', 'peer', 'name', 'console', 'netns', lan);
    ip('-n', lan, 'link', 'set', 'console', 'master', 'br0', 'up');
    ip('addr', 'add', `${this.consoleAddress}/24`, 'dev', consoleLink);
    ip('link', 'set', consoleLink, 'up');
  }

  /** The processes running in a host's namespace. */
  processes(name: string): number[] {
    return this.#pids(this.host(name).namespace);
  }

  #pids(namespace: string): number[] {
    try {
      return execFileSync('ip', ['netns', 'pids', namespace], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  #namespace(name: string): string {
    const namespace = `${this.#prefix}-${name}`;
    ip('netns', 'add', namespace);
    this.#namespaces.push(namespace);
    return namespace;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
