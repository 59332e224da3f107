#!/usr/bin/env node
/**
 * The full-size check: every lesson notebook run from top to bottom at full size (no quick
 * mode), as a learner's Run All runs it, through Jupyter and the LLM Lab kernel.
 *
 *   npm run lessons:full                       # every notebook in notebooks/
 *   npm run lessons:full -- 02 03              # the notebooks whose names start with these
 *
 * For each notebook it records the wall time and every number the prose states (the
 * lesson's `statedNumber(...)` cells, collected through LLM_LAB_STATED_NUMBERS), prints a
 * table, and writes bench/results/lessons-full.json. It exits 1 when a cell fails, a stated
 * number is outside the tolerance its lesson gives, or a lesson takes longer than the
 * course's bar of 10 minutes. Too slow for CI (minutes per lesson); its results are recorded.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { jupyterEnv, projectPaths, setupJupyter } = require('./jupyter-setup');

const ROOT = path.resolve(__dirname, '..');
/** The course's bar: Run All at full size within 10 minutes on a 2-core laptop CPU. */
const LESSON_LIMIT_SECONDS = 600;
const RESULTS_FILE = path.join(ROOT, 'bench', 'results', 'lessons-full.json');
const EXECUTED_DIR = path.join(ROOT, 'test-results', 'lessons-full');

async function main(argv) {
  const prefixes = argv.filter((a) => !a.startsWith('-'));
  const notebooksDir = path.join(ROOT, 'notebooks');
  const notebooks = fs
    .readdirSync(notebooksDir)
    .filter((name) => /^\d\d-.*\.ipynb$/.test(name))
    .filter((name) => prefixes.length === 0 || prefixes.some((p) => name.startsWith(p)))
    .sort();
  if (notebooks.length === 0) {
    console.error(`lessons:full: no notebook in notebooks/ starts with ${prefixes.join(' or ')}.`);
    return 2;
  }
  await setupJupyter({ root: ROOT, log: (m) => console.error(`[setup] ${m}`) });
  const paths = projectPaths(ROOT);
  fs.mkdirSync(EXECUTED_DIR, { recursive: true });

  const lessons = [];
  for (const name of notebooks) {
    console.error(`[full] running notebooks/${name} at full size …`);
    const statedFile = path.join(EXECUTED_DIR, `${name}.stated.jsonl`);
    fs.rmSync(statedFile, { force: true });
    const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-lab-full-'));
    const env = { ...jupyterEnv({ root: ROOT, runtimeDir }), LLM_LAB_STATED_NUMBERS: statedFile };
    delete env.LLM_LAB_QUICK;
    const started = Date.now();
    const run = spawnSync(
      paths.venvPython,
      [path.join(ROOT, 'scripts', 'execute_notebook.py'), path.join(notebooksDir, name), '--output', path.join(EXECUTED_DIR, name), '--kernel', 'llm-lab', '--timeout', String(LESSON_LIMIT_SECONDS)],
      { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const seconds = (Date.now() - started) / 1000;
    fs.rmSync(runtimeDir, { recursive: true, force: true });
    let summary;
    try {
      summary = JSON.parse(run.stdout);
    } catch {
      summary = undefined;
    }
    const stated = fs.existsSync(statedFile)
      ? fs.readFileSync(statedFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
      : [];
    const problems = [];
    if (!summary) problems.push(`the notebook could not be run: ${(run.stderr || '').slice(-2000)}`);
    else for (const e of summary.errors) problems.push(`cell ${e.cell}: ${e.ename}: ${e.evalue}`);
    if (seconds > LESSON_LIMIT_SECONDS) problems.push(`took ${seconds.toFixed(0)} s, over the bar of ${LESSON_LIMIT_SECONDS} s`);
    for (const s of stated) {
      if (s.quick) problems.push(`'${s.name}' was measured in quick mode`);
      else if (!s.withinTolerance) problems.push(`'${s.name}' measured ${s.measured}, the lesson says ${s.stated} ± ${s.tolerance}`);
    }
    lessons.push({ notebook: name, seconds: Math.round(seconds * 10) / 10, kernelSeconds: summary?.seconds, stated, problems });
    console.error(`[full] ${name}: ${seconds.toFixed(0)} s, ${stated.length} stated numbers, ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);
  }

  const cpus = os.cpus();
  const record = {
    checkedAt: new Date().toISOString(),
    command: `npm run lessons:full${prefixes.length ? ` -- ${prefixes.join(' ')}` : ''}`,
    machine: { cpus: cpus.length, cpuModel: cpus[0]?.model.trim(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    limitSeconds: LESSON_LIMIT_SECONDS,
    lessons,
  };
  // A run of some notebooks updates their entries and keeps the others'.
  const previous = fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : { lessons: [] };
  const merged = [...previous.lessons.filter((l) => !lessons.some((n) => n.notebook === l.notebook) && fs.existsSync(path.join(notebooksDir, l.notebook))), ...lessons].sort((a, b) => a.notebook.localeCompare(b.notebook));
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...record, lessons: merged }, null, 1)}\n`);

  console.log('\n| notebook | Run All (s) | stated numbers within tolerance | problems |');
  console.log('| --- | --- | --- | --- |');
  for (const l of lessons) {
    const ok = l.stated.filter((s) => s.withinTolerance && !s.quick).length;
    console.log(`| ${l.notebook} | ${l.seconds.toFixed(0)} | ${ok}/${l.stated.length} | ${l.problems.join('; ') || '—'} |`);
  }
  for (const l of lessons) {
    for (const s of l.stated) console.log(`${l.notebook}: ${s.withinTolerance ? '✓' : '✗'} ${s.name}: ${s.measured} (stated ${s.stated} ± ${s.tolerance}${s.unit ? ` ${s.unit}` : ''})`);
  }
  console.log(`\nwrote ${path.relative(ROOT, RESULTS_FILE)}; executed notebooks in ${path.relative(ROOT, EXECUTED_DIR)}/`);
  return lessons.some((l) => l.problems.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`lessons:full: ${error.message}`);
    process.exit(1);
  },
);
