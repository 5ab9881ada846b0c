// Replaces the "Latest run" section of bench/README.md with a run's output (Markdown tables and
// lines, as `npm run bench` printed them), and moves the run it replaces to the top of
// bench/HISTORY.md (beside the README), so that no recorded run is lost.
// Usage: node bench/write-results.js RESULTS.md README.md
const fs = require('node:fs');
const path = require('node:path');

const START = '<!-- latest run: written by npm run bench (bench/write-results.js); edits here are overwritten -->';
const END = '<!-- end of latest run -->';
const HEADING = '## Latest run';

/** The history's heading for a run, from its first line ("Run of <date> on commit <sha>."). */
function historyHeading(run) {
  const match = /^Run of (.+) on commit (\S+?)\.?$/m.exec(run);
  return match ? `## ${match[1]}: \`npm run bench\` on \`${match[2]}\`` : '## An earlier `npm run bench`';
}

/** Puts the replaced run first among the history's entries (after its introduction). */
function moveToHistory(run, historyPath) {
  if (run === '') return;
  const history = fs.existsSync(historyPath) ? fs.readFileSync(historyPath, 'utf8') : '# Benchmark history\n';
  const entry = `${historyHeading(run)}\n\n${run}\n\n`;
  const at = history.indexOf('\n## ');
  fs.writeFileSync(historyPath, at === -1 ? `${history.trimEnd()}\n\n${entry}` : `${history.slice(0, at + 1)}${entry}${history.slice(at + 1)}`);
}

function main([resultsPath, readmePath]) {
  if (!resultsPath || !readmePath) throw new Error('usage: node bench/write-results.js RESULTS.md README.md');
  // A line right after a table would be read as one more row of it: keep a blank line between them.
  const results = fs
    .readFileSync(resultsPath, 'utf8')
    .trim()
    .replace(/^(\|.*)\n(?=[^|\n])/gm, '$1\n\n');
  const readme = fs.readFileSync(readmePath, 'utf8');
  const section = `${START}\n\n${results}\n\n${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  let updated;
  if (start !== -1 && end > start) {
    moveToHistory(readme.slice(start + START.length, end).trim(), path.join(path.dirname(readmePath), 'HISTORY.md'));
    updated = readme.slice(0, start) + section + readme.slice(end + END.length);
  } else {
    // First run: the section goes before the first second-level heading after the title.
    const at = readme.indexOf('\n## ');
    const block = `\n${HEADING}\n\n${section}\n`;
    updated = at === -1 ? `${readme.trimEnd()}\n${block}` : readme.slice(0, at) + block + readme.slice(at);
  }
  fs.writeFileSync(readmePath, updated);
}

main(process.argv.slice(2));
