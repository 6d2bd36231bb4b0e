import * as assert from "assert";
import { loadStackConfig, StackConfig } from "../../infra/config";
import { baselineTemplate } from "../../components/internal/baseline-template";
import { BASELINE_CONFIG_DENIED_ACTIONS } from "../../components/policies/baseline-scp";
import { SCP_MAX_CHARACTERS } from "../../components/policies/scps";
import { generatedOrganization } from "../../tools/mock-organization";
import { MockOrganization, RecordedResource, ofType, rawStackConfig, runUnderMocks, single, statement, unwrap } from "../support/harness";
import { CFN_LINT_REGIONS } from "../support/cfn-lint";

const STACKSET = "aws:cloudformation/stackSet:StackSet";
const INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance";
const ORG_RULE = "aws:cfg/organizationManagedRule:OrganizationManagedRule";

function config(change: (raw: any) => void = () => {}): StackConfig {
    const raw = structuredClone(rawStackConfig("production")) as any;
    change(raw);
    return loadStackConfig(raw, "Pulumi.production.yaml");
}

async function plan(c: StackConfig, organization?: MockOrganization): Promise<RecordedResource[]> {
    const { createOrgLogging } = await import("../../infra/program");
    return (await runUnderMocks(() => createOrgLogging(c), { stack: "production", organization })).resources;
}

/**
 * The StackSet deploys exactly the component's template for its `configRecorder`, to regions the
 * template spec lints it for (test/components/internal/baseline-template.test.ts runs cfn-lint on
 * both templates in CFN_LINT_REGIONS).
 */
function assertLintedTemplate(resources: RecordedResource[], configRecorder: "create" | "existing"): void {
    const stackSet = single(resources, STACKSET);
    assert.deepStrictEqual(JSON.parse(String(stackSet.inputs.templateBody)), baselineTemplate({ configRecorder }));
    for (const instance of ofType(resources, INSTANCE)) {
        const region = String(instance.inputs.stackSetInstanceRegion);
        assert.ok((CFN_LINT_REGIONS as readonly string[]).includes(region), `${region} is not in CFN_LINT_REGIONS`);
    }
}

const templateTypes = (stackSet: RecordedResource) =>
    Object.values(JSON.parse(String(stackSet.inputs.templateBody)).Resources).map((r: any) => r.Type);

describe("infra/baseline: the organization baseline in the production plan", function () {
    this.timeout(120_000);
    const production = config();
    const { management, audit } = production.accounts;
    let resources: RecordedResource[];

    before(async () => {
        resources = await plan(production);
    });

    it("deploys a service-managed StackSet from the management account with automatic deployment that retains stacks", () => {
        const stackSet = single(resources, STACKSET);
        assert.strictEqual(stackSet.account, management.id);
        assert.deepStrictEqual(
            [stackSet.inputs.permissionModel, stackSet.inputs.callAs, stackSet.inputs.autoDeployment],
            ["SERVICE_MANAGED", "SELF", { enabled: true, retainStacksOnAccountRemoval: true }],
        );
        assert.deepStrictEqual(stackSet.inputs.capabilities, ["CAPABILITY_NAMED_IAM"]);
        const prefs = stackSet.inputs.operationPreferences as any;
        assert.deepStrictEqual(
            [prefs.failureTolerancePercentage, prefs.maxConcurrentPercentage, prefs.regionConcurrencyType],
            [10, 25, "SEQUENTIAL"],
        );
        assert.deepStrictEqual(prefs.regionOrders, ["eu-west-1", "eu-central-1"]);
    });

    it("has stack instances for every configured region of the organization root (the default unit)", () => {
        const instances = ofType(resources, INSTANCE);
        assert.deepStrictEqual(instances.map((i) => i.inputs.stackSetInstanceRegion).sort(), ["eu-central-1", "eu-west-1"]);
        for (const instance of instances) {
            assert.strictEqual(instance.account, management.id);
            assert.match((instance.inputs.deploymentTargets as any).organizationalUnitIds[0], /^r-[0-9a-z]{4,32}$/);
            // The delivery channels need the config bucket policy in place first.
            assert.ok(
                instance.dependencies.includes(
                    single(resources, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-config-bucket-policy").urn,
                ),
            );
        }
    });

    it("deploys the linted template, holding the recorder and the delivery channel into the config bucket", () => {
        const stackSet = single(resources, STACKSET);
        assertLintedTemplate(resources, "create");
        assert.ok(templateTypes(stackSet).includes("AWS::Config::ConfigurationRecorder"));
        assert.ok(templateTypes(stackSet).includes("AWS::Config::DeliveryChannel"));
        const params = stackSet.inputs.parameters as Record<string, string>;
        assert.strictEqual(params.ConfigBucketName, single(resources, "aws:s3/bucket:Bucket", "log-archive-config-bucket").state.bucket);
        assert.strictEqual(params.ConfigKmsKeyArn, single(resources, "aws:kms/key:Key", "log-archive-config-key").state.arn);
        assert.strictEqual(params.HomeRegion, production.region);
        assert.strictEqual(params.FindingsBusArn, single(resources, "aws:cloudwatch/eventBus:EventBus").state.arn);
    });

    it("creates the organization rules, including access keys rotated within 90 days, in the audit account after the stack instances", () => {
        const rules = ofType(resources, ORG_RULE);
        assert.ok(rules.length >= 10);
        rules.forEach((r) => assert.strictEqual(r.account, audit!.id, r.name));
        const keys = rules.find((r) => r.inputs.ruleIdentifier === "ACCESS_KEYS_ROTATED")!;
        assert.deepStrictEqual(JSON.parse(String(keys.inputs.inputParameters)), { maxAccessKeyAge: "90" });
        for (const id of [
            "CLOUD_TRAIL_ENABLED",
            "INCOMING_SSH_DISABLED",
            "ENCRYPTED_VOLUMES",
            "S3_BUCKET_PUBLIC_READ_PROHIBITED",
            "S3_BUCKET_PUBLIC_WRITE_PROHIBITED",
            "ROOT_ACCOUNT_MFA_ENABLED",
        ]) {
            assert.ok(
                rules.some((r) => r.inputs.ruleIdentifier === id),
                id,
            );
        }
        ofType(resources, INSTANCE).forEach((i) => assert.ok(keys.dependencies.includes(i.urn)));
    });

    it("registers the audit account as Config's delegated administrator and creates an organization aggregator there", () => {
        const admins = ofType(resources, "aws:organizations/delegatedAdministrator:DelegatedAdministrator");
        assert.deepStrictEqual(
            admins.map((a) => [a.inputs.accountId, a.inputs.servicePrincipal, a.account]),
            [
                [audit!.id, "config.amazonaws.com", management.id],
                [audit!.id, "config-multiaccountsetup.amazonaws.com", management.id],
            ],
        );
        const aggregator = single(resources, "aws:cfg/configurationAggregator:ConfigurationAggregator");
        assert.strictEqual(aggregator.account, audit!.id);
        const source = aggregator.inputs.organizationAggregationSource as any;
        assert.strictEqual(source.allRegions, true);
        assert.match(source.roleArn, new RegExp(`^arn:aws:iam::${audit!.id}:role/`));
        admins.forEach((a) => assert.ok(aggregator.dependencies.includes(a.urn)));
    });

    it("delivers NON_COMPLIANT changes of the organization from one bus to one encrypted topic; no per-account topic or key", () => {
        const bus = single(resources, "aws:cloudwatch/eventBus:EventBus");
        const busPolicy = statement(
            single(resources, "aws:cloudwatch/eventBusPolicy:EventBusPolicy").inputs.policy,
            "OrganizationForwardsFindings",
        );
        assert.deepStrictEqual(busPolicy.Condition, { StringEquals: { "aws:PrincipalOrgID": production.organizationId } });
        const rule = single(resources, "aws:cloudwatch/eventRule:EventRule", "org-baseline-non-compliant");
        assert.strictEqual(rule.inputs.eventBusName, bus.state.name);
        const topic = single(resources, "aws:sns/topic:Topic", "org-baseline-compliance-topic");
        assert.strictEqual(
            topic.inputs.kmsMasterKeyId,
            single(resources, "aws:kms/key:Key", "org-baseline-compliance-topic-key").state.arn,
        );
        assert.strictEqual(ofType(resources, "aws:sns/topic:Topic").filter((t) => t.name.includes("compliance")).length, 1);
    });

    it("attaches the baseline SCP to the baseline's units after the stack instances, with its actions and exceptions, under 5,120 characters", () => {
        const scp = single(resources, "aws:organizations/policy:Policy", "org-baseline-scp");
        const content = String(scp.inputs.content);
        assert.ok(content.length <= SCP_MAX_CHARACTERS, `${content.length} characters`);
        const deny = statement(content, "DenyConfigChanges");
        for (const action of [
            "config:StopConfigurationRecorder",
            "config:DeleteConfigurationRecorder",
            "config:PutConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:PutDeliveryChannel",
            "config:DeleteConfigRule",
        ]) {
            assert.ok(deny.Action.includes(action), action);
        }
        assert.deepStrictEqual(deny.Action, [...BASELINE_CONFIG_DENIED_ACTIONS]);
        assert.deepStrictEqual(deny.Condition, {
            ArnNotLike: { "aws:PrincipalARN": ["arn:aws:iam::*:role/stacksets-exec-*", "arn:aws:iam::*:role/OrgLoggingBreakGlass"] },
        });
        const forwarder = statement(content, "DenyFindingsForwarderChanges");
        assert.strictEqual(forwarder.Resource, "arn:aws:events:*:*:rule/org-logging-findings-forwarder");
        assert.ok(forwarder.Action.includes("events:DisableRule"));
        const attachment = single(resources, "aws:organizations/policyAttachment:PolicyAttachment", "org-baseline-scp-attachment-root");
        assert.strictEqual(
            attachment.inputs.targetId,
            (ofType(resources, INSTANCE)[0].inputs.deploymentTargets as any).organizationalUnitIds[0],
        );
        ofType(resources, INSTANCE).forEach((i) => assert.ok(attachment.dependencies.includes(i.urn)));
    });

    it("passes the pack's Config rule, which sees the archive's config bucket (a changed parameter is a violation)", async () => {
        const { runPolicies } = await import("../../tools/policy-runner");
        const { configRecorderBaseline } = await import("../../policy-pack/rules/config-recorder-baseline");
        assert.deepStrictEqual(await runPolicies([configRecorderBaseline], resources, {}), []);
        // As after creation: the archive's buckets have their names.
        const named = resources.map((r) =>
            r.type === "aws:s3/bucket:Bucket" ? { ...r, inputs: { ...r.inputs, bucket: r.state.bucket } } : r,
        );
        assert.deepStrictEqual(await runPolicies([configRecorderBaseline], named, {}), []);
        const tampered = named.map((r) =>
            r.type === STACKSET
                ? {
                      ...r,
                      inputs: { ...r.inputs, parameters: { ...(r.inputs.parameters as object), ConfigBucketName: "elsewhere" } },
                      state: { ...r.state, parameters: { ...(r.state.parameters as object), ConfigBucketName: "elsewhere" } },
                  }
                : r,
        );
        const violations = await runPolicies([configRecorderBaseline], tampered, {});
        assert.deepStrictEqual(
            violations.map((v) => v.urn),
            [single(resources, STACKSET).urn],
        );
    });

    it("keeps the log-archive account's public access block under the earlier baseline's identity (no removal while migrating)", () => {
        const block = single(resources, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
        assert.strictEqual(block.account, production.accounts.logArchive.id);
        assert.deepStrictEqual(ofType(resources, "aws:cfg/recorder:Recorder"), []);
        assert.deepStrictEqual(ofType(resources, "aws:ebs/encryptionByDefault:EncryptionByDefault"), []);
        assert.deepStrictEqual(ofType(resources, "aws:cfg/rule:Rule"), []);
    });
});

describe("infra/baseline: variants", function () {
    this.timeout(120_000);

    it("with configRecorder existing: no recorder or delivery channel anywhere; rules, aggregator and alerts still there", async () => {
        const resources = await plan(config((r) => (r.baseline.configRecorder = "existing")));
        const stackSet = single(resources, STACKSET);
        const types = templateTypes(stackSet);
        assert.ok(!types.includes("AWS::Config::ConfigurationRecorder") && !types.includes("AWS::Config::DeliveryChannel"));
        assert.deepStrictEqual(Object.keys(stackSet.inputs.parameters as object).sort(), ["FindingsBusArn", "HomeRegion"]);
        assert.deepStrictEqual(
            [...ofType(resources, "aws:cfg/recorder:Recorder"), ...ofType(resources, "aws:cfg/deliveryChannel:DeliveryChannel")],
            [],
        );
        assert.ok(ofType(resources, ORG_RULE).some((r) => r.inputs.ruleIdentifier === "ACCESS_KEYS_ROTATED"));
        single(resources, "aws:cfg/configurationAggregator:ConfigurationAggregator");
        single(resources, "aws:cloudwatch/eventRule:EventRule", "org-baseline-non-compliant");
        assertLintedTemplate(resources, "existing");
    });

    it("without accounts.audit: the management account administers Config, no delegated administrator, one provider fewer", async () => {
        const c = config((r) => delete r.accounts.audit);
        const resources = await plan(c);
        assert.strictEqual(ofType(resources, "pulumi:providers:aws").length, 3);
        assert.deepStrictEqual(ofType(resources, "aws:organizations/delegatedAdministrator:DelegatedAdministrator"), []);
        ofType(resources, ORG_RULE).forEach((r) => assert.strictEqual(r.account, c.accounts.management.id));
        assert.strictEqual(single(resources, "aws:cfg/configurationAggregator:ConfigurationAggregator").account, c.accounts.management.id);
    });

    it("with organizational units: one stack instance and one SCP attachment per unit and region", async () => {
        const units = ["ou-ab12-11111111", "ou-ab12-22222222"];
        const resources = await plan(config((r) => (r.baseline.organizationalUnitIds = units)));
        const instances = ofType(resources, INSTANCE).map((i) => [
            (i.inputs.deploymentTargets as any).organizationalUnitIds[0],
            i.inputs.stackSetInstanceRegion,
        ]);
        assert.deepStrictEqual(
            instances.sort(),
            units
                .flatMap((u) => [
                    [u, "eu-central-1"],
                    [u, "eu-west-1"],
                ])
                .sort(),
        );
        assert.deepStrictEqual(
            ofType(resources, "aws:organizations/policyAttachment:PolicyAttachment")
                .filter((a) => a.name.startsWith("org-baseline-"))
                .map((a) => a.inputs.targetId),
            units,
        );
    });

    it("plans the same resources for an organization of 1,000 accounts as for one of 5", async () => {
        const c = config();
        const core = [c.accounts.management.id, c.accounts.logArchive.id, c.accounts.collection.id];
        const shape = (resources: RecordedResource[]) => resources.map((r) => `${r.type}::${r.name}`).sort();
        const small = await plan(c, generatedOrganization({ organizationId: c.organizationId, core, count: 5 }));
        const large = await plan(c, generatedOrganization({ organizationId: c.organizationId, core, count: 1000 }));
        assert.deepStrictEqual(shape(large), shape(small));
        assert.strictEqual(ofType(large, "pulumi:providers:aws").length, 4);
    });
});

describe("infra/baseline: migration from per-account baselines", function () {
    this.timeout(120_000);

    it("aliases the log-archive account's public access block to the earlier baseline's resource, so the update keeps it", async () => {
        const c = config();
        const { createAccountProviders } = await import("../../infra/accounts");
        const { createLogArchive } = await import("../../infra/log-archive");
        const run = await runUnderMocks(() => createLogArchive(c, createAccountProviders(c)), { stack: "production" });
        const block = run.result.publicAccessBlock;
        const aliases = (await Promise.all(((block as any).__aliases as Array<Promise<string> | any>).map((a) => unwrap(a)))).map(String);
        assert.deepStrictEqual(aliases, [
            "urn:pulumi:production::org-logging::orglog:index:AccountBaseline$aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock::baseline-log-archive-s3-public-access-block",
        ]);
        const recorded = single(run.resources, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
        assert.strictEqual(recorded.account, c.accounts.logArchive.id);
        // The archive SCP freezes that block: it is attached only once the block is in place.
        assert.ok(
            single(
                run.resources,
                "aws:organizations/policyAttachment:PolicyAttachment",
                "log-archive-scp-attachment",
            ).dependencies.includes(recorded.urn),
        );
    });
});
