import * as assert from "assert";
import { parseArgs } from "../../../agent/src/options";
import {
    agentSyncCommand,
    collectorLayout,
    collectorUserData,
    deployDocumentContent,
    exactPattern,
    INSTANCE_PATHS,
    secretArnPattern,
    UserDataParams,
} from "../../../components/internal/collector-bootstrap";
import { bashSyntax, runBash } from "../../support/bash";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:333333333333:collectors-deploy-topic-14d4171";
const PEM = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

/**
 * The words bash passes to `node` for a command line, and the variables set for it: the command
 * runs with `node` as a shell function that prints them, so quoting is judged by bash itself.
 */
function nodeInvocation(commandLine: string): { env: Record<string, string>; argv: string[] } {
    const run = runBash(["-c", `node() { printf 'AWS_REGION=%s\\0' "\${AWS_REGION-}"; printf '%s\\0' "$@"; }\n${commandLine}`]);
    assert.strictEqual(run.status, 0, run.stderr);
    const [region, ...argv] = run.stdout.split("\0").slice(0, -1);
    return { env: { AWS_REGION: region.replace(/^AWS_REGION=/, "") }, argv };
}

const userDataParams: UserDataParams = {
    environment: "production",
    region: "eu-west-1",
    accountId: "333333333333",
    bucketName: "collectors-config-bucket-b23407b",
    agentVersionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    deployTopicArn: TOPIC_ARN,
    healthCheckPort: 24224,
    bindsPrivilegedPorts: false,
};

describe("components/internal/collector-bootstrap", () => {
    it("lays out an environment's prefixes, agent key, secret prefix and document name", () => {
        assert.deepStrictEqual(collectorLayout("production"), {
            configPrefix: "configuration/production/",
            agentPrefix: "agent/production/",
            agentKey: "agent/production/agent.js",
            secretPrefix: "log-collection/production/",
            documentName: "LogCollection-Deploy-production",
        });
        assert.strictEqual(
            secretArnPattern({ partition: "aws-us-gov", region: "us-gov-west-1", accountId: "333333333333", environment: "integration" }),
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:333333333333:secret:log-collection/integration/*",
        );
    });

    it("gives integration and production disjoint prefixes, secret prefixes and documents", () => {
        const [integration, production] = ["integration", "production"].map(collectorLayout);
        for (const key of ["configPrefix", "agentPrefix", "agentKey", "secretPrefix", "documentName"] as const) {
            assert.ok(!integration[key].startsWith(production[key]) && !production[key].startsWith(integration[key]), key);
        }
    });

    it("anchors document patterns and escapes regex metacharacters in bucket names", () => {
        assert.strictEqual(exactPattern("logs.example-1"), "^logs\\.example-1$");
        assert.ok(new RegExp(exactPattern("logs.example-1")).test("logs.example-1"));
        assert.ok(!new RegExp(exactPattern("logs.example-1")).test("logsXexample-1"));
        assert.ok(!new RegExp(exactPattern("configuration/production/")).test("configuration/production/../integration/"));
    });

    it("pins the deploy document's only parameters, bucket and prefix, to this environment's values", () => {
        const patterns = (environment: string) =>
            Object.values(
                deployDocumentContent({
                    environment,
                    region: "eu-west-1",
                    bucketName: "b",
                    deployTopicArn: TOPIC_ARN,
                    healthCheckPort: 24224,
                }).parameters as Record<string, { allowedPattern: string; default: string }>,
            ).map((p) => [p.default, p.allowedPattern]);
        assert.deepStrictEqual(patterns("integration"), [
            ["b", "^b$"],
            ["configuration/integration/", "^configuration/integration/$"],
        ]);
        assert.deepStrictEqual(patterns("production"), [
            ["b", "^b$"],
            ["configuration/production/", "^configuration/production/$"],
        ]);
    });

    for (const requireSignature of [false, true]) {
        it(`writes a sync command the agent's own parser accepts, each quoted command one argument (requireSignature ${requireSignature})`, () => {
            const { env, argv } = nodeInvocation(
                agentSyncCommand({
                    region: "eu-west-1",
                    source: "s3://collectors-config-bucket-b23407b/configuration/production/",
                    deployTopicArn: TOPIC_ARN,
                    healthCheckPort: 24224,
                    requireSignature,
                }),
            );
            assert.deepStrictEqual(env, { AWS_REGION: "eu-west-1" }, "the SDK does not read the region from instance metadata");
            assert.strictEqual(argv[0], INSTANCE_PATHS.agent);
            const parsed = parseArgs(argv.slice(1), () => assert.fail("the command reads no --config file"));
            assert.ok(parsed.command === "sync");
            const o = parsed.options;
            assert.deepStrictEqual(
                [o.source, o.configDir, o.environmentFile, o.certsDir, o.owner, o.lockFile, o.topicArn, o.json],
                [
                    "s3://collectors-config-bucket-b23407b/configuration/production/",
                    INSTANCE_PATHS.configDir,
                    INSTANCE_PATHS.environmentFile,
                    INSTANCE_PATHS.certsDir,
                    INSTANCE_PATHS.serviceUser,
                    INSTANCE_PATHS.lockFile,
                    TOPIC_ARN,
                    true,
                ],
            );
            assert.strictEqual(o.validateCommand, `${INSTANCE_PATHS.launcher} {environmentFile} --dry-run -c {configDir}/td-agent.conf`);
            assert.strictEqual(o.restartCommand, "systemctl restart td-agent");
            assert.strictEqual(o.healthCommand, `${INSTANCE_PATHS.healthCheck} 24224`);
            assert.deepStrictEqual(
                [o.requireSignature, o.publicKey],
                requireSignature ? [true, INSTANCE_PATHS.manifestPublicKey] : [false, undefined],
            );
        });
    }

    it("runs the same command in the deploy document, with the source made of the pinned parameters", () => {
        const content = deployDocumentContent({
            environment: "production",
            region: "eu-west-1",
            bucketName: "b",
            deployTopicArn: TOPIC_ARN,
            healthCheckPort: 24224,
            requireSignature: true,
        }) as { mainSteps: Array<{ inputs: { runCommand: string[] } }> };
        const [step] = content.mainSteps;
        assert.strictEqual(
            step.inputs.runCommand[2],
            agentSyncCommand({
                region: "eu-west-1",
                source: "s3://{{bucket}}/{{prefix}}",
                deployTopicArn: TOPIC_ARN,
                healthCheckPort: 24224,
                requireSignature: true,
            }),
        );
    });

    it("writes first-boot user data that bash parses, with the pinned agent version and the first sync from the environment's prefix", () => {
        const userData = collectorUserData(userDataParams);
        assert.strictEqual(bashSyntax(userData), "");
        assert.ok(
            userData.includes(
                "aws s3api get-object --region eu-west-1 --expected-bucket-owner 333333333333 --bucket collectors-config-bucket-b23407b" +
                    ` --key agent/production/agent.js --version-id ${userDataParams.agentVersionId} ${INSTANCE_PATHS.agent}`,
            ),
        );
        const firstSync = userData.trimEnd().split("\n").pop() ?? "";
        assert.strictEqual(
            firstSync,
            agentSyncCommand({
                region: "eu-west-1",
                source: "s3://collectors-config-bucket-b23407b/configuration/production/",
                deployTopicArn: TOPIC_ARN,
                healthCheckPort: 24224,
                requireSignature: false,
            }),
        );
        assert.ok(!userData.includes(INSTANCE_PATHS.manifestPublicKey), "no signing key without manifestPublicKeyPem");
        assert.ok(!userData.includes("AmbientCapabilities"), "no bind capability for ports from 1024");
    });

    it("with a signing key: writes the PEM before the first sync, which then requires a signed manifest; ports below 1024 get the bind capability", () => {
        const userData = collectorUserData({ ...userDataParams, manifestPublicKeyPem: PEM, bindsPrivilegedPorts: true });
        assert.strictEqual(bashSyntax(userData), "");
        assert.ok(userData.includes(`cat > ${INSTANCE_PATHS.manifestPublicKey} <<'PUBLICKEY'\n${PEM.trim()}\nPUBLICKEY\n`), userData);
        const lines = userData.trimEnd().split("\n");
        assert.ok(lines.findIndex((l) => l.startsWith(`cat > ${INSTANCE_PATHS.manifestPublicKey}`)) < lines.length - 1);
        assert.ok(lines[lines.length - 1].endsWith(`--require-signature --public-key ${INSTANCE_PATHS.manifestPublicKey} --json`));
        assert.ok(userData.includes("AmbientCapabilities=CAP_NET_BIND_SERVICE\n"));
    });
});
