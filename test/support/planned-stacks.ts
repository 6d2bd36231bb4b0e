// The committed stacks, each built once per test run in this process under the mock runtime (no
// plan CLI process), for the specs that judge what a whole stack registers. Callers share the
// records: read them, copy before changing anything.
import { RecordedResource, runUnderMocks, stackConfig } from "./harness";

export type CommittedStack = "production" | "integration";

const planned = new Map<CommittedStack, Promise<readonly RecordedResource[]>>();

/** What the program registers for `Pulumi.<stack>.yaml`, as `npm run plan -- --stack <stack>` plans it. */
export function plannedStack(stack: CommittedStack): Promise<readonly RecordedResource[]> {
    let resources = planned.get(stack);
    if (!resources) {
        resources = (async () => {
            const { createOrgLogging } = await import("../../infra/program");
            return [...(await runUnderMocks(() => createOrgLogging(stackConfig(stack)), { stack })).resources];
        })();
        planned.set(stack, resources);
    }
    return resources;
}
