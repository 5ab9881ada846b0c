#!/usr/bin/env node
// `npm run build`: one TypeScript program over the whole tree (tsconfig.json: apps, libs, tests,
// bench, infra) is both the type-check of all of it and the build of both apps, so that the files
// are parsed and checked once. It emits the files of the build configs to dist/: the apps and libs
// of tsconfig.build.json (no specs) as `nest build` does, through the plugins of nest-cli.json
// (@nestjs/swagger documents the DTOs from their types) with the @app/* aliases rewritten to
// relative paths, plus their assets; and the CDK app of infra/tsconfig.build.json where infra/ is
// present (not in the Docker build context), so that a synth need not compile it again. Exit code
// 1 on any diagnostic, and then nothing is emitted.
const { copyFileSync, existsSync, globSync, mkdirSync } = require('node:fs');
const { dirname, join, relative } = require('node:path');
const ts = require('typescript');
const { tsconfigPathsBeforeHookFactory } = require('@nestjs/cli/lib/compiler/hooks/tsconfig-paths.hook');
const nestCli = require('../nest-cli.json');

const ROOT = join(__dirname, '..');
const BUILD_CONFIGS = ['tsconfig.build.json', 'infra/tsconfig.build.json'];

function readConfig(file) {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, file), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: fail });
  if (config.errors.length > 0) fail(config.errors);
  return config;
}

function fail(diagnostics) {
  const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext([diagnostics].flat(), host));
  process.stderr.write(`build: ${[diagnostics].flat().length} error(s)\n`);
  process.exit(1);
}

/** The before-emit transformers of nest-cli.json's plugins, with the options given there. */
function pluginTransformers(program) {
  return (nestCli.compilerOptions.plugins ?? []).map((entry) => {
    const { name, options = {} } = typeof entry === 'string' ? { name: entry } : entry;
    return require(`${name}/plugin`).before(options, program);
  });
}

/** Each app's assets (nest-cli.json), matched from its sourceRoot and copied to the same place under their outDir. */
function copyAssets() {
  for (const project of Object.values(nestCli.projects)) {
    for (const asset of project.compilerOptions?.assets ?? []) {
      const sourceRoot = join(ROOT, project.sourceRoot);
      for (const file of globSync(asset.include, { cwd: sourceRoot })) {
        const target = join(ROOT, asset.outDir, file);
        mkdirSync(dirname(target), { recursive: true });
        copyFileSync(join(sourceRoot, file), target);
      }
    }
  }
}

const whole = readConfig('tsconfig.json');
const built = new Set(
  BUILD_CONFIGS.filter((file) => existsSync(join(ROOT, file))).flatMap((file) => readConfig(file).fileNames.map((name) => relative(ROOT, name))),
);
const program = ts.createProgram({ rootNames: whole.fileNames, options: whole.options, projectReferences: whole.projectReferences });
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) fail(diagnostics);

const transformers = { before: [tsconfigPathsBeforeHookFactory(whole.options), ...pluginTransformers(program)] };
const emitted = program.getSourceFiles().filter((file) => built.has(relative(ROOT, file.fileName)));
for (const file of emitted) {
  const result = program.emit(file, undefined, undefined, false, transformers);
  if (result.diagnostics.length > 0) fail(result.diagnostics);
}
copyAssets();
