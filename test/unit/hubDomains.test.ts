import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { circlesIn, importsUnder } from '../support/importGraph.js';

const hub = 'hub';

/** A file's domain: the folder directly under hub/ (the composition root's files are in none). */
function domainOf(file: string): string | undefined {
  const parts = file.split(path.sep);
  return parts[0] === hub && parts.length > 2 ? parts[1] : undefined;
}

describe('hub/ by domain', () => {
  const domains = fs
    .readdirSync(hub, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it('every domain shows its interface in an index.ts', () => {
    expect(domains.length).toBeGreaterThan(8);
    expect(domains.filter((domain) => !fs.existsSync(path.join(hub, domain, 'index.ts')))).toEqual([]);
  });

  it('no file reaches into another domain: it takes what it needs from that domain’s index.ts', () => {
    const reaching = importsUnder(hub).filter(({ from, to }) => {
      const target = domainOf(to);
      return target !== undefined && target !== domainOf(from) && to !== path.join(hub, target, 'index.ts');
    });
    expect(reaching.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('the engines are reached through their index.ts too', () => {
    const reaching = importsUnder(hub).filter(({ to }) => {
      const folder = to.split(path.sep)[0];
      // shared/ is the contracts with the browser, one module per subject; a sub-folder with an index of its
      // own (camera-gateway/simulator) is an interface too
      return folder !== hub && folder !== 'shared' && path.basename(to) !== 'index.ts';
    });
    expect(reaching.map(({ from, to }) => `${from} → ${to}`)).toEqual([]);
  });

  it('the domains’ run-time imports have no circle (an index evaluated half-way would hand out undefined)', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, to, typeOnly } of importsUnder(hub)) {
      const [a, b] = [domainOf(from), domainOf(to)];
      if (typeOnly || a === undefined || b === undefined || a === b) continue;
      graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
    expect(graph.size).toBeGreaterThan(5);
    expect(circlesIn(graph)).toEqual([]);
  });
});
