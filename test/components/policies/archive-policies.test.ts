import * as assert from "assert";
import { accessLogsBucketPolicy } from "../../../components/policies/access-logs-bucket-policy";
import { LEGACY_ELB_LOG_REGIONS } from "../../../components/policies/elb-logs-bucket-policy";
import { trailBucketPolicy, trailNameProblem } from "../../../components/policies/trail-bucket-policy";
import { trailKeyPolicy } from "../../../components/policies/trail-key-policy";

const BUCKET = "arn:aws:s3:::archive-bucket";
const TLS = {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [BUCKET, `${BUCKET}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const sids = (doc: any) => doc.Statement.map((s: any) => s.Sid);

describe("components/policies (archive buckets and keys)", () => {
    describe("trailBucketPolicy", () => {
        const base = {
            bucketArn: BUCKET,
            partition: "aws-us-gov",
            homeRegion: "us-gov-west-1",
            managementAccountId: "111111111111",
            organizationId: "o-abcdefghij",
            trailName: "t1x",
        };

        it("uses the trail's partition, home region and management account in aws:SourceArn", () => {
            const doc: any = trailBucketPolicy({ ...base, trailMode: "organization" });
            assert.deepStrictEqual(doc.Statement[3], {
                Sid: "CloudTrailWriteOrganization",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${BUCKET}/AWSLogs/o-abcdefghij/*`,
                Condition: {
                    StringEquals: {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        "aws:SourceArn": "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/t1x",
                    },
                },
            });
        });

        it("has no organization statement in account mode", () => {
            assert.deepStrictEqual(sids(trailBucketPolicy({ ...base, trailMode: "account" })), [
                "DenyInsecureTransport",
                "CloudTrailAclCheck",
                "CloudTrailWriteManagementAccount",
            ]);
        });
    });

    describe("trailNameProblem", () => {
        for (const name of ["org-logging", "abc", "a.b_c-d", "A".repeat(128)]) {
            it(`accepts ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}...(${name.length})` : name)}`, () =>
                assert.strictEqual(trailNameProblem("trailName", name), undefined));
        }
        for (const name of ["ab", "-abc", "abc-", "a--b", "a._b", "has space", "192.168.0.1", "A".repeat(129), ""]) {
            it(`rejects ${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}...(${name.length})` : name)}`, () =>
                assert.strictEqual(
                    trailNameProblem("trailName", name),
                    `\`trailName\` (${JSON.stringify(name)}) is not a valid trail name. Use 3-128 letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
                ));
        }
    });

    describe("trailKeyPolicy", () => {
        const p = {
            partition: "aws",
            keyAccountId: "222222222222",
            managementAccountId: "111111111111",
            trailArn: "arn:aws:cloudtrail:eu-west-1:111111111111:trail/t",
        };
        it("has no reader statement without readers", () => {
            assert.deepStrictEqual(sids(trailKeyPolicy(p)), [
                "KeyAccountAdministers",
                "CloudTrailEncrypts",
                "CloudTrailDescribesKey",
                "CloudTrailDecryptsForBucketKey",
            ]);
        });
        it("lets readers decrypt only with CloudTrail's encryption context", () => {
            const doc: any = trailKeyPolicy({ ...p, readerPrincipalArns: ["arn:aws:iam::222222222222:role/Reader"] });
            const reader = doc.Statement.find((s: { Sid: string }) => s.Sid === "ReadersDecryptTrailLogs");
            assert.deepStrictEqual(reader.Condition, {
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
            });
            assert.deepStrictEqual(reader.Principal, { AWS: ["arn:aws:iam::222222222222:role/Reader"] });
        });
    });

    describe("elbLogsBucketPolicy", () => {
        it("knows which regions predate the log-delivery principal", () => {
            for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"]) {
                assert.ok(LEGACY_ELB_LOG_REGIONS.has(region), region);
            }
            for (const region of [
                "eu-central-2",
                "eu-south-2",
                "ap-south-2",
                "ap-southeast-4",
                "me-central-1",
                "il-central-1",
                "ca-west-1",
            ]) {
                assert.ok(!LEGACY_ELB_LOG_REGIONS.has(region), region);
            }
        });
    });

    describe("accessLogsBucketPolicy", () => {
        it("admits each source bucket under its own prefix, from our account only", () => {
            const doc: any = accessLogsBucketPolicy({
                bucketArn: BUCKET,
                sourceAccountId: "222222222222",
                sources: [{ bucketArn: "arn:aws:s3:::src-a", prefix: "elb-logs/" }],
            });
            assert.deepStrictEqual(doc.Statement, [
                TLS,
                {
                    Sid: "S3ServerAccessLogsElbLogs",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${BUCKET}/elb-logs/*`,
                    Condition: {
                        ArnLike: { "aws:SourceArn": "arn:aws:s3:::src-a" },
                        StringEquals: { "aws:SourceAccount": "222222222222" },
                    },
                },
            ]);
        });
    });
});
