import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What the linter (Biome, in `npm test`) cannot say: the layers' import boundaries — arrows only
 * point down, to src-shared — and no module imported twice in one file.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const LAYERS = ['src-shared', 'src-main', 'src-renderer', 'sync-server'] as const;
type Layer = (typeof LAYERS)[number];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : files(p);
    return /\.(ts|tsx|cts|mts)$/.test(name) ? [p] : [];
  });
}

/** Every import of a file: its specifier, and whether it imports types only. */
function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const src = readFileSync(file, 'utf8');
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of src.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\sfrom\s+'([^']+)'/gm)) out.push({ spec: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of src.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push({ spec: m[1]!, typeOnly: false });
  for (const m of src.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

const layerOf = (file: string, spec: string): Layer | null => {
  if (!spec.startsWith('.')) return null;
  const top = relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0];
  return (LAYERS as readonly string[]).includes(top!) ? (top as Layer) : null;
};

/** Who may import whom: everyone src-shared; nobody another app layer. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  'src-shared': ['src-shared'],
  'src-main': ['src-main', 'src-shared'],
  'src-renderer': ['src-renderer', 'src-shared'],
  'sync-server': ['sync-server', 'src-shared'],
};
/** src-shared runs in the browser, on the desk and on the server: no Node, no database, no Electron. */
const SHARED_FORBIDDEN = /^(node:|better-sqlite3|drizzle-orm|drizzle-kit|electron|pg$|@electric-sql\/|hono|@hono\/)/;
/**
 * Except src-shared/node: what the desk's main process and the server both run in Node (password
 * hashing), never bundled for the browser (tsconfig.web.json leaves it out). Node's own modules only.
 */
const NODE_SHARED = `src-shared${sep}node${sep}`;
const NODE_SHARED_FORBIDDEN = /^(better-sqlite3|drizzle-orm|drizzle-kit|electron|pg$|@electric-sql\/|hono|@hono\/)/;

describe('code health (issue 9)', () => {
  const all = LAYERS.flatMap((layer) => files(join(ROOT, layer)).map((file) => ({ layer, file })));

  it('arrows only point down: each layer imports itself and src-shared, src-shared nothing of Node, databases or Electron', () => {
    const wrong: string[] = [];
    for (const { layer, file } of all) {
      for (const { spec } of imports(file)) {
        const target = layerOf(file, spec);
        if (target && !MAY_IMPORT[layer].includes(target)) wrong.push(`${relative(ROOT, file)} → ${spec}`);
        const nodeShared = relative(ROOT, file).startsWith(NODE_SHARED);
        if (layer === 'src-shared' && (nodeShared ? NODE_SHARED_FORBIDDEN : SHARED_FORBIDDEN).test(spec)) wrong.push(`${relative(ROOT, file)} → ${spec}`);
        // Browser code never reaches the Node-only part.
        if (layer !== 'src-main' && layer !== 'sync-server' && !nodeShared && spec.includes('/node/')) wrong.push(`${relative(ROOT, file)} → ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no module is imported twice in one file (value and type imports counted apart)', () => {
    const twice: string[] = [];
    for (const { file } of all) {
      const seen = new Set<string>();
      for (const { spec, typeOnly } of imports(file)) {
        const key = `${typeOnly ? 'type ' : ''}${spec}`;
        if (seen.has(key)) twice.push(`${relative(ROOT, file)}: ${key}`);
        seen.add(key);
      }
    }
    expect(twice).toEqual([]);
  });

  it('the checks see what they check: a file of every layer and its imports are found', () => {
    for (const layer of LAYERS) expect(all.some((f) => f.layer === layer && imports(f.file).length > 0)).toBe(true);
  });

  it('comments and test titles cite only what the repository holds: no design or research notes kept outside it, and every docs/*.md named exists', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (['node_modules', 'dist', 'out'].includes(e.name) ? [] : walk(join(dir, e.name))) : [join(dir, e.name)]));
    const docs = new Set(readdirSync(join(ROOT, 'docs')));
    const outside: string[] = [];
    const missing: string[] = [];
    let cited = 0;
    for (const file of [...LAYERS, 'tests'].flatMap((d) => walk(join(ROOT, d)))) {
      for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
        const where = `${relative(ROOT, file)}:${i + 1}`;
        for (const m of line.matchAll(/DESIGN\.md|research\//g)) outside.push(`${where}: ${m[0]}`);
        for (const m of line.matchAll(/\bdocs\/([\w.-]+\.md)/g)) {
          cited++;
          if (!docs.has(m[1]!)) missing.push(`${where}: docs/${m[1]}`);
        }
      }
    }
    expect(outside).toEqual([]);
    expect(missing).toEqual([]);
    // The check reads what it checks: the code does cite the docs.
    expect(cited).toBeGreaterThan(0);
  });

  it('every package the code, the build and the tests import is declared in package.json (issue 19 finding 7: the build used four it did not declare)', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]);
    const sources = [...all.map((f) => f.file), ...files(join(ROOT, 'tests'))];
    const undeclared = new Set<string>();
    for (const file of sources) {
      const src = readFileSync(file, 'utf8');
      const specs = [...imports(file).map((i) => i.spec), ...[...src.matchAll(/\brequire(?:\.resolve)?\(\s*'([^']+)'/g)].map((m) => m[1]!)];
      for (const spec of specs) {
        if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!declared.has(name)) undeclared.add(`${name} (${relative(ROOT, file)})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it('the statuses that hold a slot are spelled once (ACTIVE_STATUSES / ACTIVE_SQL in src-shared/domain/enums.ts), not as literals beside it (issue 19 finding 7)', () => {
    const spelled = all
      .filter((f) => !f.file.endsWith(join('domain', 'enums.ts')))
      .flatMap((f) =>
        readFileSync(f.file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (/'booked',\s*'arrived',\s*'fulfilled'/.test(line) ? [`${relative(ROOT, f.file)}:${i + 1}`] : [])),
      );
    expect(spelled).toEqual([]);
  });
});
