import * as assert from "assert";
import { loadStackConfig } from "../../infra/config";
import { recordedResources, settle } from "../../tools/mock-runtime";
import { rawStackConfig, RecordedResource, runUnderMocks, single, stackConfig, unwrap } from "../support/harness";

// One stack only: a whole-program run costs seconds, and integration's differences (prefixes, branch,
// document) are covered by the component's tests and the config tests.
describe("infra/collection", () => {
    for (const stack of ["production"]) {
        describe(`stack ${stack}`, () => {
            const config = stackConfig(stack);
            const collection = config.accounts.collection.id;
            let resources: RecordedResource[];
            let fleet: RecordedResource[];
            let outputs: Record<string, any>;

            before(async () => {
                const { createOrgLogging } = await import("../../infra/program");
                const run = await runUnderMocks(() => createOrgLogging(config), { stack });
                resources = run.resources;
                outputs = (await unwrap(run.result)) as Record<string, any>;
                const component = single(resources, "orglog:index:CollectorFleet");
                fleet = resources.filter((r) => r.parent === component.urn);
            });

            it("puts the whole fleet in the collection account through its provider", () => {
                const component = single(resources, "orglog:index:CollectorFleet");
                assert.strictEqual(component.account, collection);
                const provider = resources.find((r) => r.type === "pulumi:providers:aws" && r.account === collection)!;
                assert.ok(fleet.length > 50);
                for (const r of fleet) {
                    assert.deepStrictEqual([r.account, r.provider], [collection, provider.urn], r.name);
                }
            });

            it("passes the stack's collector config to the component", () => {
                const c = config.collector;
                const asg = fleet.find((r) => r.type === "aws:autoscaling/group:Group")!;
                assert.deepStrictEqual(
                    [asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.desiredCapacity],
                    [c.minSize, c.maxSize, c.desiredCapacity],
                );
                assert.strictEqual(
                    fleet.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!.inputs.instanceType,
                    c.instanceType,
                );
                const senders = fleet
                    .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.cidrIpv4)
                    .map((r) => r.inputs.cidrIpv4);
                assert.deepStrictEqual([...new Set(senders)], c.allowedCidrs);
                const forward = fleet
                    .filter((r) => r.name.startsWith("collectors-instance-out-forward-"))
                    .map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort]);
                assert.deepStrictEqual(
                    forward,
                    (c.forwardDestinations ?? []).map((d) => [d.cidr, d.port]),
                );
                const email = fleet.find((r) => r.type === "aws:sns/topicSubscription:TopicSubscription")!;
                assert.strictEqual(email.inputs.endpoint, c.deployEmail);
                const branch = stack === "production" ? "main" : "integration";
                const trust = JSON.parse(String(fleet.find((r) => r.name === "collectors-publisher-role")!.inputs.assumeRolePolicy));
                assert.strictEqual(
                    trust.Statement[0].Condition.StringEquals["gitlab.com:sub"],
                    `project_path:${c.configRepository}:ref_type:branch:ref:${branch}`,
                );
            });

            it("exports the collector outputs of the contract", () => {
                const bucket = fleet.find((r) => r.name === "collectors-config-bucket")!;
                const role = fleet.find((r) => r.name === "collectors-publisher-role")!;
                const nlb = fleet.find((r) => r.type === "aws:lb/loadBalancer:LoadBalancer")!;
                const topic = fleet.find((r) => r.type === "aws:sns/topic:Topic")!;
                assert.deepStrictEqual(
                    {
                        collectorNlbDnsName: outputs.collectorNlbDnsName,
                        collectorPorts: outputs.collectorPorts,
                        collectorConfigBucketName: outputs.collectorConfigBucketName,
                        collectorConfigPrefix: outputs.collectorConfigPrefix,
                        collectorDeployDocumentName: outputs.collectorDeployDocumentName,
                        collectorDeployTopicArn: outputs.collectorDeployTopicArn,
                        collectorPublisherRoleArn: outputs.collectorPublisherRoleArn,
                        collectorSecretPrefix: outputs.collectorSecretPrefix,
                        collectorSecretArnPattern: outputs.collectorSecretArnPattern,
                    },
                    {
                        collectorNlbDnsName: nlb.state.dnsName,
                        collectorPorts: [
                            { name: "forward", port: 24224, protocol: "TCP" },
                            { name: "syslog", port: 5140, protocol: "TCP_UDP" },
                        ],
                        collectorConfigBucketName: bucket.state.bucket,
                        collectorConfigPrefix: `configuration/${stack}/`,
                        collectorDeployDocumentName: `LogCollection-Deploy-${stack}`,
                        collectorDeployTopicArn: topic.state.arn,
                        collectorPublisherRoleArn: role.state.arn,
                        collectorSecretPrefix: `log-collection/${stack}/`,
                        collectorSecretArnPattern: `arn:aws:secretsmanager:${config.region}:${collection}:secret:log-collection/${stack}/*`,
                    },
                );
            });

            it("runs every sync of the fleet with --require-signature and the stack's manifest public key", () => {
                const pem = config.collector.manifestPublicKeyPem;
                assert.ok(pem?.includes("-----BEGIN PUBLIC KEY-----"), "the production stack sets collector.manifestPublicKeyPem");
                const signed = "--require-signature --public-key /opt/org-logging/manifest-signing-key.pem --json";
                const document = JSON.parse(String(fleet.find((r) => r.type === "aws:ssm/document:Document")!.inputs.content));
                const deploySync = document.mainSteps[0].inputs.runCommand.filter((line: string) => /\/agent\.js sync /.test(line));
                assert.strictEqual(deploySync.length, 1);
                assert.ok(deploySync[0].endsWith(signed), deploySync[0]);
                const template = fleet.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")!;
                const userData = Buffer.from(String(template.inputs.userData), "base64").toString("utf8");
                const bootSync = userData.split("\n").filter((line) => /\/agent\.js sync /.test(line));
                assert.strictEqual(bootSync.length, 1);
                assert.ok(bootSync[0].endsWith(signed), bootSync[0]);
                const written = /cat > \/opt\/org-logging\/manifest-signing-key\.pem <<'PUBLICKEY'\n([\s\S]*?)\nPUBLICKEY\n/.exec(
                    userData,
                )?.[1];
                assert.strictEqual(written, pem!.trim(), "the first boot writes the stack's key where --public-key reads it");
                assert.ok(
                    userData.indexOf("manifest-signing-key.pem <<'PUBLICKEY'") < userData.indexOf(bootSync[0]),
                    "the key is written before the first sync",
                );
            });

            it("raises no policy-pack violation on the fleet", async () => {
                const { policies } = await import("../../policy-pack/policies");
                const { runPolicies } = await import("../../tools/policy-runner");
                const mine = new Set(fleet.map((r) => r.urn));
                const violations = (await runPolicies(policies, resources)).filter((v) => v.urn === undefined || mine.has(v.urn));
                assert.deepStrictEqual(violations, []);
            });
        });
    }

    it("reports the fleet's own checks in terms of the config keys, naming the stack file, before registering anything", async () => {
        const raw = rawStackConfig("production") as { collector: Record<string, unknown> };
        raw.collector.minSize = 5;
        raw.collector.maxSize = 2;
        delete raw.collector.desiredCapacity;
        const config = loadStackConfig(raw, "Pulumi.production.yaml");
        const { createOrgLogging } = await import("../../infra/program");
        await assert.rejects(
            runUnderMocks(() => createOrgLogging(config), { stack: "production" }),
            (err: Error) => {
                assert.strictEqual(
                    err.message,
                    "Pulumi.production.yaml: org-logging:collector.minSize: 5 is larger than org-logging:collector.maxSize (2). Lower minSize or raise maxSize",
                );
                return true;
            },
        );
        // Registrations are asynchronous: let any that were started reach the mock before looking.
        await settle();
        assert.deepStrictEqual(
            recordedResources().map((r) => r.urn),
            [],
        );
    });
});
