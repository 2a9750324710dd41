import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const folder = 'media-server';

/** Each media-server file's imports of other files of the project, as paths from the project's root. */
function importGraph(): Map<string, string[]> {
  const files = fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  for (const file of files.map((f) => path.join(folder, f))) {
    const imports = [...fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)'/gm)].map((m) =>
      path.normalize(path.join(path.dirname(file), m[1]!.replace(/\.js$/, '.ts'))),
    );
    graph.set(file, imports);
  }
  return graph;
}

describe('media-server’s imports', () => {
  it('have no circle: its *Types.ts files are leaves that import only other Types files (and the shared contracts)', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(20);
    for (const [file, imports] of graph)
      if (file.endsWith('Types.ts'))
        expect({ file, imports: imports.filter((i) => !i.endsWith('Types.ts') && !i.startsWith('shared/')) }).toEqual({
          file,
          imports: [],
        });
    // a depth-first walk: a file met again while it is still on the path closes a circle
    const circles: string[][] = [];
    const done = new Set<string>();
    const walk = (file: string, trail: string[]) => {
      if (trail.includes(file)) return circles.push([...trail.slice(trail.indexOf(file)), file]);
      if (done.has(file) || !graph.has(file)) return;
      for (const next of graph.get(file)!) walk(next, [...trail, file]);
      done.add(file);
    };
    for (const file of graph.keys()) walk(file, []);
    expect(circles).toEqual([]);
  });
});
