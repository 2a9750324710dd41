import { describe, expect, it } from 'vitest';
import { circlesIn, importsUnder } from '../support/importGraph.js';

const folder = 'media-server';

/** Each media-server file's imports of other files of the project. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const { from, to } of importsUnder(folder)) graph.set(from, [...(graph.get(from) ?? []), to]);
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
    expect(circlesIn(graph)).toEqual([]);
  });
});
