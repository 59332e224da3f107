/**
 * TypeScript → JavaScript for the sandbox. The whole submission is type-checked once (as a
 * notebook cell would be: strict, but without `noUncheckedIndexedAccess`); a file with an
 * error is not emitted, and the compiler's first messages, mapped to the learner's own file
 * and line, become the failure of that file's exercises. The other files still run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { GraderDependencyMissingError } from './errors';
import type { SubmissionFile } from './submission';

export interface CompiledSubmission {
  /** Compiled JavaScript files, by spec file, under `outDir`. */
  readonly modules: ReadonlyMap<string, string>;
  /** What the compiler said, by spec file, for files that do not compile. */
  readonly errors: ReadonlyMap<string, string>;
}

/** Diagnostics that are about the grader's setup, not the learner's code (modules and globals it cannot see). */
const SETUP_DIAGNOSTICS = new Set([2307, 2580, 2584, 2591, 2792]);
const MAX_MESSAGES = 3;

let typescript: typeof TS | undefined;

async function loadTypeScript(): Promise<typeof TS> {
  if (!typescript) {
    try {
      typescript = (await import('typescript')).default;
    } catch {
      throw new GraderDependencyMissingError('typescript', 'compile TypeScript submissions');
    }
  }
  return typescript;
}

/** Type-checks `files` and writes the ones that compile to `outDir` as CommonJS. */
export async function compileSubmission(files: readonly SubmissionFile[], workDir: string, outDir: string): Promise<CompiledSubmission> {
  const ts = await loadTypeScript();
  const sourceDir = path.join(workDir, 'src');
  const byPath = new Map<string, SubmissionFile>();
  for (const file of files) {
    const where = path.join(sourceDir, ...file.file.split('/'));
    fs.mkdirSync(path.dirname(where), { recursive: true });
    fs.writeFileSync(where, file.code);
    byPath.set(path.normalize(where), file);
  }
  const options: TS.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2022.d.ts'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
  };
  const program = ts.createProgram([...byPath.keys()], options);
  const messages = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error || SETUP_DIAGNOSTICS.has(diagnostic.code)) continue;
    const file = diagnostic.file ? byPath.get(path.normalize(diagnostic.file.fileName)) : undefined;
    if (!file || !diagnostic.file) continue;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    const list = messages.get(file.file) ?? [];
    list.push(`${file.locate(line + 1)}:${character + 1}: error TS${diagnostic.code}: ${text}`);
    messages.set(file.file, list);
  }
  const modules = new Map<string, string>();
  const errors = new Map<string, string>();
  for (const file of files) {
    const found = messages.get(file.file);
    if (found) {
      const more = found.length > MAX_MESSAGES ? ` (and ${found.length - MAX_MESSAGES} more)` : '';
      errors.set(file.file, `does not compile: ${found.slice(0, MAX_MESSAGES).join('; ')}${more}`);
      continue;
    }
    const js = ts.transpileModule(file.code, { compilerOptions: { ...options, noEmit: false, sourceMap: false }, fileName: file.file }).outputText;
    const where = path.join(outDir, ...file.file.replace(/\.ts$/, '.js').split('/'));
    fs.mkdirSync(path.dirname(where), { recursive: true });
    fs.writeFileSync(where, js);
    modules.set(file.file, where);
  }
  return { modules, errors };
}
