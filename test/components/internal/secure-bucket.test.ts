import * as assert from "assert";
import { ofType, RecordedResource, runUnderMocks, single } from "../../support/harness";

async function build(withExtras: boolean): Promise<RecordedResource[]> {
    const aws = await import("@pulumi/aws");
    const { secureBucketSettings } = await import("../../../components/internal/secure-bucket");
    const { resources } = await runUnderMocks(() => {
        const provider = new aws.Provider("archive", { region: "eu-west-1", allowedAccountIds: ["222222222222"] });
        const bucket = new aws.s3.Bucket("logs-bucket", { forceDestroy: false }, { provider });
        const target = new aws.s3.Bucket("target-bucket", { forceDestroy: false }, { provider });
        const targetPolicy = new aws.s3.BucketPolicy("target-bucket-policy", { bucket: target.id, policy: "{}" }, { provider });
        return secureBucketSettings(
            "logs-bucket",
            {
                bucket,
                encryption: withExtras ? { kind: "kms", keyArn: "arn:aws:kms:eu-west-1:222222222222:key/k" } : { kind: "s3" },
                policy: '{"Version":"2012-10-17","Statement":[]}',
                ...(withExtras
                    ? {
                          lifecycleRules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: 400 } }],
                          logging: { targetBucket: target.id, targetPrefix: "logs/", dependsOn: [targetPolicy] },
                          objectLock: { mode: "GOVERNANCE", days: 365 },
                      }
                    : {}),
            },
            { provider },
        ).last.urn;
    });
    return resources;
}

const byName = (resources: RecordedResource[], name: string) => resources.find((r) => r.name === name)!;

describe("components/internal/secureBucketSettings", () => {
    it("applies every setting of the bucket one after another, the policy after the public access block", async () => {
        const resources = await build(true);
        const chain = [
            "logs-bucket-ownership",
            "logs-bucket-public-access",
            "logs-bucket-policy",
            "logs-bucket-versioning",
            "logs-bucket-encryption",
            "logs-bucket-lifecycle",
            "logs-bucket-logging",
            "logs-bucket-object-lock",
        ];
        for (let i = 1; i < chain.length; i++) {
            const r = byName(resources, chain[i]);
            assert.ok(r.dependencies.includes(byName(resources, chain[i - 1]).urn), `${chain[i]} waits for ${chain[i - 1]}`);
        }
        assert.ok(byName(resources, "logs-bucket-logging").dependencies.includes(byName(resources, "target-bucket-policy").urn));
        assert.deepStrictEqual(byName(resources, "logs-bucket-ownership").dependencies, [byName(resources, "logs-bucket").urn]);
    });

    it("blocks every kind of public access, enforces ownership and turns versioning on", async () => {
        const resources = await build(false);
        const { bucket, ...flags } = single(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
        assert.strictEqual(bucket, single(resources, "aws:s3/bucket:Bucket", "logs-bucket").state.id);
        assert.deepStrictEqual(flags, {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepStrictEqual(single(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule, {
            objectOwnership: "BucketOwnerEnforced",
        });
        assert.deepStrictEqual(single(resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration, {
            status: "Enabled",
        });
        assert.deepStrictEqual(ofType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), []);
        assert.deepStrictEqual(ofType(resources, "aws:s3/bucketLogging:BucketLogging"), []);
    });

    it("encrypts with the customer key and a Bucket Key, or with SSE-S3", async () => {
        const kms = single(await build(true), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        assert.deepStrictEqual(kms.inputs.rules, [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:222222222222:key/k" },
                bucketKeyEnabled: true,
            },
        ]);
        const s3 = single(await build(false), "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
        assert.deepStrictEqual(s3.inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    });

    it("makes the bucket itself: never force-destroyed, Object Lock only with a retention, TLS-only policy by default", async () => {
        const { secureBucket } = await import("../../../components/internal/secure-bucket");
        const { resources } = await runUnderMocks(() => {
            const plain = secureBucket("plain", { encryption: { kind: "s3" } }, {});
            const locked = secureBucket("locked", { encryption: { kind: "s3" }, objectLock: { mode: "COMPLIANCE", days: 30 } }, {});
            return [plain.last.urn, locked.last.urn, plain.all.length, locked.all.length];
        });
        const plain = single(resources, "aws:s3/bucket:Bucket", "plain");
        assert.deepStrictEqual(plain.inputs, { forceDestroy: false });
        assert.deepStrictEqual(single(resources, "aws:s3/bucket:Bucket", "locked").inputs, {
            forceDestroy: false,
            objectLockEnabled: true,
        });
        const policy = JSON.parse(single(resources, "aws:s3/bucketPolicy:BucketPolicy", "plain-policy").inputs.policy as string);
        assert.deepStrictEqual(
            policy.Statement.map((s: { Sid: string }) => s.Sid),
            ["DenyInsecureTransport"],
        );
        assert.deepStrictEqual(policy.Statement[0].Resource, [plain.state.arn, `${plain.state.arn}/*`]);
        assert.deepStrictEqual(
            single(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "locked-object-lock").inputs.rule,
            {
                defaultRetention: { mode: "COMPLIANCE", days: 30 },
            },
        );
    });
});
