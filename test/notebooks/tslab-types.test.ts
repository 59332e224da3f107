/**
 * tslab type-checks every notebook cell with the TypeScript it bundles (5.0), against the
 * toolkit's published declarations (dist/*.d.ts) and whatever they import. A declaration
 * file that TypeScript 5.0 cannot parse (newer syntax, as in gpt-tokenizer's own .d.ts)
 * would break `import … from 'llm-lab'` in every notebook, so the public declarations are
 * compiled here the way tslab compiles a cell. Needs dist/ (npm run build), not Python.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type TypeScript = typeof import('typescript');

const ROOT = path.resolve(__dirname, '..', '..');
// The copy tslab loads, found the way tslab finds it.
const tslabRequire = createRequire(require.resolve('tslab/package.json'));
const ts = tslabRequire('@tslab/typescript-for-tslab') as TypeScript;

/** Compiles `source` as a cell in notebooks/, with the options tslab uses on Node 20. */
function compileCell(source: string) {
  const cellFile = path.join(ROOT, 'notebooks', '__cell__.ts');
  const options = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    declaration: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) =>
    name === cellFile ? ts.createSourceFile(name, source, version) : getSourceFile.call(host, name, version, ...rest);
  host.fileExists = (name) => name === cellFile || fileExists.call(host, name);
  host.readFile = (name) => (name === cellFile ? source : readFile.call(host, name));
  const program = ts.createProgram([cellFile], options, host);
  const describe = (d: import('typescript').Diagnostic) =>
    `${d.file ? path.relative(ROOT, d.file.fileName) : '(options)'}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  return {
    files: program.getSourceFiles().map((f) => path.relative(ROOT, f.fileName)),
    // Syntax errors count in every file, declaration files included: skipLibCheck hides only type errors.
    syntax: program.getSourceFiles().flatMap((f) => program.getSyntacticDiagnostics(f)).map(describe),
    cell: program.getSemanticDiagnostics(program.getSourceFile(cellFile)).map(describe),
  };
}

describe("the toolkit's declarations under tslab's TypeScript", () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'index.d.ts'))) {
      throw new Error('dist/index.d.ts is missing: run `npm run build` (npm install and npm test build it too).');
    }
  });

  test('tslab bundles TypeScript 5.0', () => {
    expect(ts.version).toMatch(/^5\.0\./);
  });

  test('a cell importing the whole public API compiles', () => {
    // The project folder itself stands for 'llm-lab' here (its package.json "types"), so this
    // test needs no .venv and no node_modules/llm-lab link.
    const result = compileCell(
      [
        `import * as lab from ${JSON.stringify(ROOT)};`,
        "const config: lab.GPTConfig = lab.resolveConfig('tiny', { vocabSize: 16 });",
        'const t = lab.tf.tensor([1, 2, 3]);',
        'export const summary: string = `${lab.version} ${config.nLayer} ${t.shape.join("x")}`;',
      ].join('\n'),
    );
    expect(result.files).toContain(path.join('dist', 'index.d.ts'));
    expect(result.syntax).toEqual([]);
    expect(result.cell).toEqual([]);
  }, 60_000);
});
