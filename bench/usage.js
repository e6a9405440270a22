// Preloaded into the connector process by the benchmark (`node --require`): on exit, writes the
// process's own resource usage (peak RSS, CPU time) to the file named by BENCH_USAGE_FILE.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_USAGE_FILE,
    JSON.stringify({ maxRssKb: u.maxRSS, userCpuUs: u.userCPUTime, systemCpuUs: u.systemCPUTime }),
  );
});
