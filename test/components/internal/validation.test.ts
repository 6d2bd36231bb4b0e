import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import {
    ACCOUNT_ID,
    argsError,
    arnProblems,
    assertNoProblems,
    GLUE_NAME,
    glueNameProblem,
    KMS_KEY_ARN,
    logRetentionProblem,
    oneOfProblem,
    OIDC_PROVIDER_ARN,
    ORGANIZATION_ID,
    PRINCIPAL_ARN,
    REGION_NAME,
    ROLE_ARN,
    ROLE_NAME,
    SCP_TARGET_ID,
    show,
} from "../../../components/internal/validation";

describe("components/internal/validation", () => {
    const formats: Array<[string, RegExp, string[], string[]]> = [
        ["ACCOUNT_ID", ACCOUNT_ID, ["111111111111"], ["11111111111", "1111111111112", "abcdefghijkl"]],
        ["ORGANIZATION_ID", ORGANIZATION_ID, ["o-a1b2c3d4e5", "o-" + "a".repeat(32)], ["o-1", "o-A1B2C3D4E5", "a1b2c3d4e5"]],
        [
            "ROLE_ARN",
            ROLE_ARN,
            [
                "arn:aws:iam::111111111111:role/Admin",
                "arn:aws-us-gov:iam::111111111111:role/path/To-Role",
                "arn:aws-cn:iam::111111111111:role/a+b=c,d.e@f",
            ],
            [
                "arn:aws:iam::111111111111:user/alice",
                "arn:aws:iam::11111111111:role/x",
                "arn:awsx:iam::111111111111:role/x",
                "arn:aws:iam::111111111111:role/",
            ],
        ],
        [
            "PRINCIPAL_ARN",
            PRINCIPAL_ARN,
            ["arn:aws:iam::111111111111:root", "arn:aws:sts::111111111111:assumed-role/R/session", "arn:aws:iam::*:role/BreakGlass"],
            ["OrgLoggingBreakGlass", "arn:aws:s3:::bucket", "arn:aws:iam::111111111111"],
        ],
        [
            "OIDC_PROVIDER_ARN",
            OIDC_PROVIDER_ARN,
            ["arn:aws:iam::111111111111:oidc-provider/gitlab.com"],
            ["arn:aws:iam::111111111111:role/gitlab.com"],
        ],
        [
            "KMS_KEY_ARN",
            KMS_KEY_ARN,
            ["arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab"],
            ["arn:aws:kms:eu-west-1:111111111111:alias/x"],
        ],
        ["ROLE_NAME", ROLE_NAME, ["org-logging-investigator", "a".repeat(64)], ["a".repeat(65), "with space", ""]],
        ["GLUE_NAME", GLUE_NAME, ["alb_access_logs", "org_logging"], ["ALB", "alb-logs", ""]],
        ["REGION_NAME", REGION_NAME, ["eu-west-1", "us-gov-west-1", "ap-southeast-3"], ["eu-west", "EU-WEST-1", "euwest1"]],
        ["SCP_TARGET_ID", SCP_TARGET_ID, ["r-ab12", "ou-ab12-abcdefgh", "111111111111"], ["o-a1b2c3d4e5", "ou-ab12", "root"]],
    ];
    for (const [name, format, good, bad] of formats) {
        it(`${name} accepts ${good.length} values and refuses ${bad.length}`, () => {
            for (const value of good) {
                assert.ok(format.test(value), `${name} refuses ${value}`);
            }
            for (const value of bad) {
                assert.ok(!format.test(value), `${name} accepts ${value}`);
            }
        });
    }

    it("accepts exactly the retentions CloudWatch Logs accepts, naming the field otherwise", () => {
        for (const days of [1, 365, 400, 3653]) {
            assert.strictEqual(logRetentionProblem("retentionDays", days), undefined);
        }
        assert.strictEqual(
            logRetentionProblem("retentionDays", 100),
            "`retentionDays` (100) is not a retention CloudWatch Logs accepts. Use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        );
        assert.match(logRetentionProblem("x", "365")!, /^`x` \("365"\) is not/);
        assert.strictEqual(show(undefined), "undefined");
    });

    it("accepts an unset or valid Glue name and names the field of a bad one", () => {
        assert.strictEqual(glueNameProblem("tableName", undefined), undefined);
        assert.strictEqual(glueNameProblem("tableName", "alb_access_logs"), undefined);
        assert.strictEqual(
            glueNameProblem("databaseName", "Org-Logging"),
            '`databaseName` ("Org-Logging") is not a Glue name Athena can query. Use 1-255 lower-case letters, digits and "_"',
        );
    });

    it("reports every problem as one ResourceError, one line per problem, each naming the component", () => {
        const err = argsError("Thing", ["`a` (1) is wrong. Use 2", '`b` ("x") is wrong. Use y']);
        assert.ok(pulumi.ResourceError.isInstance(err));
        assert.strictEqual(err.message, 'Thing: `a` (1) is wrong. Use 2.\nThing: `b` ("x") is wrong. Use y.');
        assert.doesNotThrow(() => assertNoProblems("Thing", []));
        assert.throws(
            () => assertNoProblems("Thing", ["`a` (1) is wrong. Use 2"]),
            (e: Error) => pulumi.ResourceError.isInstance(e) && e.message === "Thing: `a` (1) is wrong. Use 2.",
        );
    });

    it("names each bad ARN of a list and the choices of a closed set", () => {
        assert.deepStrictEqual(arnProblems("readers", ["arn:aws:iam::111111111111:root", "Investigator"], "principal", "Name a role."), [
            '`readers` ("Investigator") is not an IAM principal ARN. Name a role.',
        ]);
        assert.deepStrictEqual(arnProblems("roles", ["arn:aws:iam::111111111111:root"], "role", "Name a role."), [
            '`roles` ("arn:aws:iam::111111111111:root") is not an IAM role ARN. Name a role.',
        ]);
        assert.strictEqual(oneOfProblem("trailMode", "account", ["organization", "account"]), undefined);
        assert.strictEqual(
            oneOfProblem("trailMode", "org", ["organization", "account"]),
            '`trailMode` ("org") must be "organization" or "account"',
        );
        assert.strictEqual(oneOfProblem("mode", 1, ["a", "b", "c"]), '`mode` (1) must be "a", "b" or "c"');
    });
});
