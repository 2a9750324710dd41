import fs from 'node:fs';
import path from 'node:path';

/** One import (or re-export) between the project's files, as paths from the project's root. */
export interface SourceImport {
  from: string;
  to: string;
  /** `import type …` or every name marked `type`: erased from the built code. */
  typeOnly: boolean;
}

/** Every relative import made by a TypeScript file under `folder`. */
export function importsUnder(folder: string): SourceImport[] {
  const files = fs.readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const from = path.join(folder, file);
    return [...fs.readFileSync(from, 'utf8').matchAll(/^(?:import|export)(\s+type)?\s*([^;]*?)from '(\.[^']+)'/gm)].map((m) => {
      const names = /^\{([^}]*)\}$/
        .exec(m[2]!.trim())?.[1]
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      return {
        from,
        to: path.normalize(path.join(path.dirname(from), m[3]!.replace(/\.js$/, '.ts'))),
        typeOnly: Boolean(m[1]) || (names !== undefined && names.every((name) => name.startsWith('type '))),
      };
    });
  });
}

/** The circles of a directed graph, each as the path that closes it (a depth-first walk). */
export function circlesIn(graph: ReadonlyMap<string, Iterable<string>>): string[][] {
  const circles: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, trail: string[]): void => {
    if (trail.includes(node)) {
      circles.push([...trail.slice(trail.indexOf(node)), node]);
      return;
    }
    if (done.has(node) || !graph.has(node)) return;
    for (const next of graph.get(node)!) walk(next, [...trail, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return circles;
}
