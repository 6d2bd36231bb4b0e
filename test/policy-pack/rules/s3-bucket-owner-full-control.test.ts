import * as assert from "assert";
import { s3BucketOwnerFullControl as rule } from "../../../policy-pack/rules/s3-bucket-owner-full-control";
import { FakeResource, runRule, urnOf } from "../../support/policy";
import {
    BUCKET,
    BUCKET_POLICY,
    itFollowsEnforcementLevels,
    itHonoursExemptions,
    json,
    messages,
    UNKNOWN_STRING,
    UNKNOWN_VALUES,
} from "../../support/policy-rules";

const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const ARCHIVE_PROVIDER = "urn:pulumi:test::org-logging::pulumi:providers:aws::log-archive";

function cloudTrailWrite(extra: Record<string, unknown> = {}) {
    return {
        Sid: "CloudTrailWrite",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::archive/AWSLogs/111111111111/*",
        ...extra,
    };
}

const ACL = { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } };
const bucketPolicy = (...statements: unknown[]): FakeResource => ({
    type: BUCKET_POLICY,
    inputs: { bucket: "archive", policy: json(...statements) },
});

/** A bucket and its ownership controls, related the way the CLI relates them: the controls' `bucket` input came from the bucket. */
function bucketWithControls(objectOwnership: string, name = "archive"): FakeResource[] {
    return [
        { type: BUCKET, name, inputs: {} },
        {
            type: OWNERSHIP,
            name: `${name}-ownership`,
            inputs: { bucket: `${name}-1234567`, rule: { objectOwnership } },
            propertyDependencies: { bucket: [urnOf(BUCKET, name)], rule: [] },
            dependencies: [urnOf(BUCKET, name)],
        },
    ];
}

describe("policy-pack/s3-bucket-owner-full-control", () => {
    it("passes a service write that requires bucket-owner-full-control", async () => {
        assert.deepStrictEqual(await runRule(rule, bucketPolicy(cloudTrailWrite({ Condition: ACL }))), []);
    });

    it("passes the parts of a multipart upload: a write admitted only without any ACL header (Null s3:x-amz-acl)", async () => {
        const parts = {
            Sid: "UploadParts",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::archive/firelens/*",
            Condition: { Null: { "s3:x-amz-acl": "true" } },
        };
        assert.deepStrictEqual(await runRule(rule, bucketPolicy(parts)), []);
        // Null false means "the header is present", with any value: that is no bucket-owner guarantee.
        assert.strictEqual((await runRule(rule, bucketPolicy({ ...parts, Condition: { Null: { "s3:x-amz-acl": "false" } } }))).length, 1);
    });

    it("fails a service write without the ACL condition, naming the statement and the resource", async () => {
        const violations = await runRule(rule, bucketPolicy(cloudTrailWrite()));
        assert.strictEqual(violations.length, 1);
        assert.strictEqual(violations[0].policy, "s3-bucket-owner-full-control");
        assert.strictEqual(violations[0].enforcementLevel, "mandatory");
        assert.strictEqual(violations[0].urn, urnOf(BUCKET_POLICY, "subject"));
        assert.strictEqual(
            violations[0].message,
            'bucket policy "subject" statement "CloudTrailWrite" lets the service principal "cloudtrail.amazonaws.com" s3:PutObject without requiring "s3:x-amz-acl" = "bucket-owner-full-control", so the writer would own the objects it puts. Add Condition {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}} to the statement, or build the bucket with orglog:index:LogArchiveAccount.',
        );
    });

    const failing: Array<[string, Record<string, unknown>]> = [
        ["s3:* wildcard", cloudTrailWrite({ Action: "s3:*" })],
        ["an array with s3:Put*", cloudTrailWrite({ Action: ["s3:GetObject", "s3:Put*"] })],
        ["Action *", cloudTrailWrite({ Action: "*" })],
        ["NotAction that does not exclude PutObject", cloudTrailWrite({ Action: undefined, NotAction: ["s3:DeleteObject"] })],
        ["another account's role", cloudTrailWrite({ Principal: { AWS: ["arn:aws:iam::444444444444:role/firehose"] } })],
        ["another account by id", cloudTrailWrite({ Principal: { AWS: "444444444444" } })],
        ["Principal *", cloudTrailWrite({ Principal: "*" })],
        ["Principal {AWS: *}", cloudTrailWrite({ Principal: { AWS: "*" } })],
        ["an Allow with NotPrincipal", cloudTrailWrite({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::222222222222:root" } })],
        ["a different ACL value", cloudTrailWrite({ Condition: { StringEquals: { "s3:x-amz-acl": "public-read" } } })],
        [
            "the ACL among other values",
            cloudTrailWrite({ Condition: { StringEquals: { "s3:x-amz-acl": ["bucket-owner-full-control", "public-read"] } } }),
        ],
        [
            "StringEqualsIfExists (passes when the header is absent)",
            cloudTrailWrite({ Condition: { StringEqualsIfExists: { "s3:x-amz-acl": "bucket-owner-full-control" } } }),
        ],
        ["StringLike with a wildcard", cloudTrailWrite({ Condition: { StringLike: { "s3:x-amz-acl": "bucket-owner-*" } } })],
    ];
    for (const [what, statement] of failing) {
        it(`fails ${what}`, async () => {
            const violations = await runRule(rule, bucketPolicy(statement));
            assert.strictEqual(violations.length, 1, JSON.stringify(messages(violations)));
            assert.match(violations[0].message, /s3:PutObject without requiring "s3:x-amz-acl" = "bucket-owner-full-control"/);
        });
    }

    const passing: Array<[string, Record<string, unknown>]> = [
        ["a read", cloudTrailWrite({ Action: "s3:GetBucketAcl" })],
        ["a Deny", cloudTrailWrite({ Effect: "Deny" })],
        ["NotAction that excludes PutObject", cloudTrailWrite({ Action: undefined, NotAction: "s3:Put*" })],
        [
            "ALB log delivery (exempt by default, it sends no ACL)",
            cloudTrailWrite({ Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } }),
        ],
        ["S3 server access logging (exempt by default)", cloudTrailWrite({ Principal: { Service: "logging.s3.amazonaws.com" } })],
        ["the eu-west-1 ELB account (exempt by default)", cloudTrailWrite({ Principal: { AWS: "arn:aws:iam::156460612806:root" } })],
        [
            "StringEqualsIgnoreCase with the ACL",
            cloudTrailWrite({ Condition: { StringEqualsIgnoreCase: { "s3:x-amz-acl": "Bucket-Owner-Full-Control" } } }),
        ],
        [
            "StringLike with the exact ACL",
            cloudTrailWrite({ Condition: { StringLike: { "s3:x-amz-acl": ["bucket-owner-full-control"] } } }),
        ],
    ];
    for (const [what, statement] of passing) {
        it(`passes ${what}`, async () => {
            assert.deepStrictEqual(messages(await runRule(rule, bucketPolicy(statement))), []);
        });
    }

    it("lets principals of the bucket's own account write without the ACL (they are the owner)", async () => {
        const inputs = {
            bucket: "archive",
            policy: json(cloudTrailWrite({ Principal: { AWS: "arn:aws:iam::222222222222:role/exporter" } })),
        };
        const provider: FakeResource = {
            type: "pulumi:providers:aws",
            name: "log-archive",
            urn: ARCHIVE_PROVIDER,
            inputs: {
                region: "eu-west-1",
                allowedAccountIds: '["222222222222"]',
                assumeRoles: '[{"roleArn":"arn:aws:iam::222222222222:role/OrgLoggingDeployer"}]',
            },
        };
        assert.deepStrictEqual(await runRule(rule, [provider, { type: BUCKET_POLICY, inputs, provider: ARCHIVE_PROVIDER }]), []);
        const [other] = await runRule(rule, [
            provider,
            {
                type: BUCKET_POLICY,
                inputs: { ...inputs, policy: json(cloudTrailWrite({ Principal: { AWS: "arn:aws:iam::444444444444:role/exporter" } })) },
                provider: ARCHIVE_PROVIDER,
            },
        ]);
        assert.match(
            other.message,
            /lets the principal "arn:aws:iam::444444444444:role\/exporter" \(outside the bucket's account 222222222222\) s3:PutObject/,
        );
    });

    it("reads the policy as an object, as a single statement, and as getPolicyDocument renders it", async () => {
        const asObject = { bucket: "archive", policy: { Version: "2012-10-17", Statement: [cloudTrailWrite()] } };
        assert.strictEqual((await runRule(rule, { type: BUCKET_POLICY, inputs: asObject })).length, 1);
        const single = { bucket: "archive", policy: { Version: "2012-10-17", Statement: cloudTrailWrite() } };
        assert.strictEqual((await runRule(rule, { type: BUCKET_POLICY, inputs: single })).length, 1);
        // What the aws:iam/getPolicyDocument invoke returns for principals [{type: "Service", ...}] and no Sid.
        const rendered =
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::archive/*","Principal":{"Service":"firehose.amazonaws.com"}}]}';
        const [violation] = await runRule(rule, { type: BUCKET_POLICY, inputs: { bucket: "archive", policy: rendered } });
        assert.match(violation.message, /^bucket policy "subject" statement 1 lets the service principal "firehose.amazonaws.com"/);
    });

    it("judges a bucket's inline policy too", async () => {
        const resources = bucketWithControls("BucketOwnerEnforced", "inline").map((r) =>
            r.type === BUCKET ? { ...r, inputs: { policy: json(cloudTrailWrite()) } } : r,
        );
        const [violation, ...rest] = await runRule(rule, resources);
        assert.deepStrictEqual(rest, []);
        assert.strictEqual(violation.urn, urnOf(BUCKET, "inline"));
        assert.match(violation.message, /^bucket "inline" inline policy statement "CloudTrailWrite"/);
    });

    it("does not judge policies or statements that are unknown during a preview", async () => {
        assert.deepStrictEqual(
            await runRule(rule, { type: BUCKET_POLICY, inputs: { bucket: UNKNOWN_STRING, policy: UNKNOWN_STRING } }),
            [],
        );
        const partlyUnknown = {
            Version: "2012-10-17",
            Statement: [cloudTrailWrite({ Resource: UNKNOWN_STRING }), cloudTrailWrite({ Sid: "Known", Condition: ACL })],
        };
        assert.deepStrictEqual(await runRule(rule, { type: BUCKET_POLICY, inputs: { bucket: "archive", policy: partlyUnknown } }), []);
        // A known bad statement next to an unknown one is still reported.
        const mixed = {
            Version: "2012-10-17",
            Statement: [cloudTrailWrite({ Resource: UNKNOWN_STRING }), cloudTrailWrite({ Sid: "KnownBad" })],
        };
        const violations = await runRule(rule, { type: BUCKET_POLICY, inputs: { bucket: "archive", policy: mixed } });
        assert.deepStrictEqual(
            messages(violations).map((m) => /statement "(\w+)"/.exec(m)?.[1]),
            ["KnownBad"],
        );
    });

    it("fails bucket ACLs other than private, on aws.s3.BucketAcl and on the bucket", async () => {
        const [acl] = await runRule(rule, {
            type: "aws:s3/bucketAcl:BucketAcl",
            name: "archive-acl",
            inputs: { bucket: "archive", acl: "log-delivery-write" },
        });
        assert.strictEqual(acl.urn, urnOf("aws:s3/bucketAcl:BucketAcl", "archive-acl"));
        assert.strictEqual(
            acl.message,
            'bucket ACL "archive-acl" sets the canned ACL "log-delivery-write", which gives access outside the bucket policy. Delete the aws.s3.BucketAcl and set ownership controls to BucketOwnerEnforced, which disables ACLs.',
        );
        assert.deepStrictEqual(
            await runRule(rule, { type: "aws:s3/bucketAcl:BucketAcl", inputs: { bucket: "archive", acl: "private" } }),
            [],
        );
        const grants = {
            bucket: "archive",
            accessControlPolicy: {
                owner: { id: "owner-id" },
                grants: [
                    { grantee: { type: "CanonicalUser", id: "owner-id" }, permission: "FULL_CONTROL" },
                    { grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" },
                ],
            },
        };
        const [grant] = await runRule(rule, { type: "aws:s3/bucketAclV2:BucketAclV2", inputs: grants });
        assert.match(grant.message, /grants 1 grantee\(s\) other than the bucket owner/);
        const ownerOnly = {
            ...grants,
            accessControlPolicy: { ...grants.accessControlPolicy, grants: grants.accessControlPolicy.grants.slice(0, 1) },
        };
        assert.deepStrictEqual(await runRule(rule, { type: "aws:s3/bucketAclV2:BucketAclV2", inputs: ownerOnly }), []);
        const onBucket = await runRule(
            rule,
            [...bucketWithControls("BucketOwnerEnforced")].map((r) => (r.type === BUCKET ? { ...r, inputs: { acl: "public-read" } } : r)),
        );
        assert.deepStrictEqual(messages(onBucket), [
            'bucket "archive" has the canned ACL "public-read", which grants access beyond the bucket owner. Remove `acl` and set ownership controls to BucketOwnerEnforced.',
        ]);
    });

    it("accepts the owner's own grant in a bucket's outputs, and fails group or second-account grants", async () => {
        const owner = { type: "CanonicalUser", id: "owner-canonical-id", permissions: ["FULL_CONTROL"] };
        const withGrants = (grants: unknown[]) =>
            bucketWithControls("BucketOwnerEnforced").map((r) => (r.type === BUCKET ? { ...r, inputs: { grants } } : r));
        assert.deepStrictEqual(await runRule(rule, withGrants([owner])), []);
        const everyone = { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] };
        assert.deepStrictEqual(messages(await runRule(rule, withGrants([owner, everyone, { ...owner, id: "other-account" }]))), [
            'bucket "archive" has 2 ACL grant(s) beyond the owner\'s, which give access outside bucket policies. Remove `grants` and use a bucket policy with BucketOwnerEnforced.',
        ]);
    });

    describe("ownership controls", () => {
        it("passes a bucket whose controls (related through propertyDependencies) are BucketOwnerEnforced", async () => {
            assert.deepStrictEqual(await runRule(rule, bucketWithControls("BucketOwnerEnforced")), []);
        });

        it("fails a bucket without ownership controls, on the bucket's URN", async () => {
            const [violation, ...rest] = await runRule(rule, { type: BUCKET, name: "archive", inputs: {} });
            assert.deepStrictEqual(rest, []);
            assert.strictEqual(violation.urn, urnOf(BUCKET, "archive"));
            assert.strictEqual(
                violation.message,
                'bucket "archive" has no aws.s3.BucketOwnershipControls, so objects written by other accounts or services can stay owned by the writer. Add aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced" for this bucket, or create it with orglog:index:LogArchiveAccount.',
            );
        });

        it("does not count another bucket's controls", async () => {
            const resources = [...bucketWithControls("BucketOwnerEnforced", "other"), { type: BUCKET, name: "archive", inputs: {} }];
            assert.deepStrictEqual(
                (await runRule(rule, resources)).map((v) => v.urn),
                [urnOf(BUCKET, "archive")],
            );
        });

        it("relates controls written with the literal bucket name to a bucket with that explicit name", async () => {
            const resources: FakeResource[] = [
                { type: BUCKET, name: "archive", inputs: { bucket: "org-archive" } },
                {
                    type: OWNERSHIP,
                    name: "archive-ownership",
                    inputs: { bucket: "org-archive", rule: { objectOwnership: "BucketOwnerEnforced" } },
                    propertyDependencies: { bucket: [] },
                },
            ];
            assert.deepStrictEqual(await runRule(rule, resources), []);
        });

        it("fails ObjectWriter, and BucketOwnerPreferred unless config allows it", async () => {
            const [writer] = await runRule(rule, bucketWithControls("ObjectWriter"));
            assert.strictEqual(writer.urn, urnOf(OWNERSHIP, "archive-ownership"));
            assert.strictEqual(
                writer.message,
                'bucket ownership controls "archive-ownership" set rule.objectOwnership to "ObjectWriter", so writers keep ownership of the objects they put. Set rule.objectOwnership to "BucketOwnerEnforced".',
            );
            assert.strictEqual((await runRule(rule, bucketWithControls("BucketOwnerPreferred"))).length, 1);
            assert.deepStrictEqual(
                await runRule(rule, bucketWithControls("BucketOwnerPreferred"), { allowBucketOwnerPreferred: true }),
                [],
            );
        });

        it("does not judge an ownership value that is unknown, nor a relation it cannot see yet", async () => {
            const [bucket, controls] = bucketWithControls("BucketOwnerEnforced");
            const unknownRule = { ...controls, inputs: { bucket: UNKNOWN_STRING, rule: { objectOwnership: UNKNOWN_STRING } } };
            // A known problem next to the unknown values is still reported: the unknown did not stop the rule.
            const bare: FakeResource = { type: BUCKET, name: "bare", inputs: {} };
            assert.deepStrictEqual(
                (await runRule(rule, [bucket, unknownRule, bare])).map((v) => v.urn),
                [urnOf(BUCKET, "bare")],
            );
            // The `bucket` input is unknown and carries no property dependency: the declared dependencies still relate it.
            const viaDependencies = {
                ...controls,
                inputs: { bucket: UNKNOWN_STRING, rule: { objectOwnership: "BucketOwnerEnforced" } },
                propertyDependencies: {},
            };
            assert.deepStrictEqual(await runRule(rule, [bucket, viaDependencies]), []);
            assert.deepStrictEqual(
                (
                    await runRule(rule, [
                        { ...bucket, inputs: { acl: UNKNOWN_STRING, grants: UNKNOWN_VALUES.unknownArrayValue } },
                        controls,
                        bare,
                    ])
                ).map((v) => v.urn),
                [urnOf(BUCKET, "bare")],
            );
        });
    });

    it("follows the pack config: exempt service principals", async () => {
        const exempt = { exemptServicePrincipals: { "cloudtrail.amazonaws.com": "test" } };
        assert.deepStrictEqual(await runRule(rule, bucketPolicy(cloudTrailWrite()), exempt), []);
        const accounts = { exemptAwsAccounts: { "444444444444": "legacy exporter, ticket SEC-2" } };
        assert.deepStrictEqual(
            await runRule(rule, bucketPolicy(cloudTrailWrite({ Principal: { AWS: "arn:aws:iam::444444444444:root" } })), accounts),
            [],
        );
    });

    itFollowsEnforcementLevels(rule, bucketPolicy(cloudTrailWrite()));
    itHonoursExemptions(rule, bucketPolicy(cloudTrailWrite()), "subject");
});
