// Preloaded into every sync the bench runs (`node -r bench/rusage-preload.js ...`): when the process
// exits, writes its own `process.resourceUsage()` (user and system CPU time in microseconds, maxRSS in
// KiB) to $BENCH_RUSAGE_FILE. Plain JavaScript so that it costs the process nothing to load.
"use strict";
const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
    process.on("exit", () => {
        require("fs").writeFileSync(file, JSON.stringify(process.resourceUsage()));
    });
}
