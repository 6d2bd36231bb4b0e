// Entry point of the collector agent (bundled to agent/dist/agent.js). See docs/agent.md.
const USAGE = "usage: node agent.js <sync|validate|publish> [options]";

function main(argv: string[]): number {
    const [command] = argv;
    if (command === undefined || command === "--help") {
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
    }
    process.stderr.write(`agent: unknown command "${command}". ${USAGE}\n`);
    return 2;
}

process.exitCode = main(process.argv.slice(2));
