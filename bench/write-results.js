// Replaces the "Latest run" section of bench/README.md with a run's output (Markdown tables and
// lines, as `npm run bench` printed them). Usage: node bench/write-results.js RESULTS.md README.md
const fs = require('node:fs');

const START = '<!-- latest run: written by npm run bench (bench/write-results.js); edits here are overwritten -->';
const END = '<!-- end of latest run -->';
const HEADING = '## Latest run';

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
