// Prints one plain closing line, `N passed, M failed`, so CI logs show how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.JEST_SUMMARY_FILE)
      require('node:fs').writeFileSync(process.env.JEST_SUMMARY_FILE, line + '\n');
  }
}
module.exports = SummaryReporter;
