import * as assert from "assert";
import * as crypto from "crypto";
import { loadStackConfig, StackConfigError } from "../../infra/config";
import { rawStackConfig } from "../support/harness";

/** A copy of the production config with one change applied. */
function production(change: (raw: any) => void): unknown {
    const raw = structuredClone(rawStackConfig("production")) as any;
    change(raw);
    return raw;
}

function problemsOf(raw: unknown): string[] {
    try {
        loadStackConfig(raw, "Pulumi.production.yaml");
    } catch (err) {
        assert.ok(err instanceof StackConfigError, `expected StackConfigError, got ${err}`);
        // One problem per line, each naming the file.
        assert.strictEqual(err.message, err.problems.map((p) => `Pulumi.production.yaml: ${p}`).join("\n"));
        assert.ok(
            err.problems.every((p) => !p.includes("\n")),
            "one line per problem",
        );
        return err.problems;
    }
    assert.fail("config was accepted");
}

describe("infra/config", () => {
    it("accepts both committed stack configs", () => {
        for (const stack of ["integration", "production"]) {
            const config = loadStackConfig(rawStackConfig(stack), `Pulumi.${stack}.yaml`);
            assert.strictEqual(config.environment, stack);
            assert.match(config.accounts.logArchive.id, /^\d{12}$/);
        }
        assert.strictEqual(loadStackConfig(rawStackConfig("production"), "p").trailMode, "organization");
        assert.strictEqual(loadStackConfig(rawStackConfig("integration"), "i").trailMode, "account");
    });

    it("reads account ids written as YAML numbers as strings", () => {
        const config = loadStackConfig(
            production((r) => (r.accounts.collection.id = 333333333333)),
            "p",
        );
        assert.strictEqual(config.accounts.collection.id, "333333333333");
    });

    it("names the key, the value and the rule for a bad account id", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.accounts.logArchive.id = "12345"))), [
            'org-logging:accounts.logArchive.id: "12345" is not a 12-digit AWS account ID',
        ]);
    });

    it("names a missing account", () => {
        const problems = problemsOf(production((r) => delete r.accounts.collection));
        assert.deepStrictEqual(problems, [
            "org-logging:accounts.collection: is required but missing; set it with `pulumi config set --path 'org-logging:accounts.collection' <value>`",
        ]);
    });

    it("rejects an unknown trail mode with the allowed values", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.trailMode = "org"))), [
            'org-logging:trailMode: "org" is not a trail mode (organization | account)',
        ]);
    });

    it("rejects unknown keys instead of ignoring a typo", () => {
        assert.deepStrictEqual(problemsOf(production((r) => (r.collector.maxsize = 4))), [
            "org-logging:collector.maxsize: unknown key; check its spelling or remove it",
        ]);
    });

    it("reports every problem in one error", () => {
        const problems = problemsOf(
            production((r) => {
                r.organizationId = "a1b2";
                r.alarmEmail = "not-an-address";
                r.workloadAccounts[0].roleArn = "arn:aws:iam::444444444444:user/bob";
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:organizationId: "a1b2" is not an AWS Organizations id such as o-a1b2c3d4e5',
            'org-logging:alarmEmail: "not-an-address" is not an e-mail address',
            'org-logging:workloadAccounts.0.roleArn: "arn:aws:iam::444444444444:user/bob" is not an IAM role ARN (arn:<partition>:iam::<account id>:role/<name>)',
        ]);
    });

    it("checks fields against each other after the schema", () => {
        const problems = problemsOf(
            production((r) => {
                r.accounts.logArchive = { ...r.accounts.management };
                r.workloadAccounts[1] = { ...r.workloadAccounts[0], name: "payments-eu" };
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:accounts.logArchive.id: "111111111111" is the management account; the archive must live in its own account so that the accounts it protects cannot change it',
            'org-logging:workloadAccounts.1.id: "444444444444" is listed twice (also org-logging:workloadAccounts.0); list each account once',
        ]);
    });

    it("requires the break-glass role in the management account, without a path", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.breakGlassRoleArn = "arn:aws:iam::222222222222:role/OrgLoggingBreakGlass"))),
            [
                'org-logging:breakGlassRoleArn: "arn:aws:iam::222222222222:role/OrgLoggingBreakGlass" is not a role in the management account (111111111111); the accounts\' break-glass roles trust a role there',
            ],
        );
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.breakGlassRoleArn = "arn:aws:iam::111111111111:role/security/BreakGlass"))),
            [
                'org-logging:breakGlassRoleArn: "arn:aws:iam::111111111111:role/security/BreakGlass" has a path; name a role without one (arn:<partition>:iam::<account id>:role/<name>), as the bootstrap template creates its namesakes',
            ],
        );
    });

    it("requires each role to live in its own account", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.accounts.collection.roleArn = "arn:aws:iam::111111111111:role/OrgLoggingDeployer"))),
            [
                'org-logging:accounts.collection.roleArn: "arn:aws:iam::111111111111:role/OrgLoggingDeployer" is not a role in account 333333333333; name the role to assume inside that account',
            ],
        );
    });
});

describe("infra/config: pipeline", () => {
    it("deploys production from main and integration from its own branch", () => {
        assert.deepStrictEqual(loadStackConfig(rawStackConfig("production"), "p").pipeline, {
            ciSystem: "gitlab",
            repository: "security/org-logging",
            deployBranch: "main",
        });
        assert.strictEqual(loadStackConfig(rawStackConfig("integration"), "i").pipeline.deployBranch, "integration");
    });

    it("requires the pipeline section, naming the command that sets it", () => {
        assert.deepStrictEqual(problemsOf(production((r) => delete r.pipeline)), [
            "org-logging:pipeline: is required but missing; set it with `pulumi config set --path 'org-logging:pipeline' <value>`",
        ]);
    });

    it("names every bad pipeline field with its value and rule", () => {
        const problems = problemsOf(
            production((r) => {
                r.pipeline.ciSystem = "jenkins";
                r.pipeline.repository = "org-logging";
                r.pipeline.deployBranch = "feature/../main";
                r.pipeline.issuerUrl = "http://gitlab.example.com";
                r.pipeline.stateBackend = { bucket: "Org_State", secretsKeyArn: "alias/pulumi" };
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:pipeline.ciSystem: "jenkins" is not a CI system (gitlab | github)',
            'org-logging:pipeline.repository: "org-logging" is not a repository path such as security/org-logging',
            'org-logging:pipeline.deployBranch: "feature/../main" is not a branch name such as main',
            'org-logging:pipeline.issuerUrl: "http://gitlab.example.com" is not an https issuer URL such as https://gitlab.com',
            'org-logging:pipeline.stateBackend.bucket: "Org_State" is not an S3 bucket name',
            'org-logging:pipeline.stateBackend.secretsKeyArn: "alias/pulumi" is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)',
        ]);
    });

    it("accepts a self-managed state backend and rejects unknown keys in it", () => {
        const backend = {
            bucket: "org-pulumi-state",
            prefix: "org-logging/",
            secretsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666",
        };
        assert.deepStrictEqual(
            loadStackConfig(
                production((r) => (r.pipeline.stateBackend = backend)),
                "p",
            ).pipeline.stateBackend,
            backend,
        );
        assert.deepStrictEqual(problemsOf(production((r) => (r.pipeline.stateBackend = { ...backend, region: "eu-west-1" }))), [
            "org-logging:pipeline.stateBackend.region: unknown key; check its spelling or remove it",
        ]);
    });

    it("requires an existing OIDC provider to be in the management account", () => {
        assert.deepStrictEqual(
            problemsOf(production((r) => (r.pipeline.oidcProviderArn = "arn:aws:iam::333333333333:oidc-provider/gitlab.com"))),
            [
                'org-logging:pipeline.oidcProviderArn: "arn:aws:iam::333333333333:oidc-provider/gitlab.com" is not in the management account 111111111111; the pipeline roles live there, so name a provider of that account or leave it unset to create one',
            ],
        );
    });
    it("checks the collector's CI issuers and forward destinations", () => {
        const problems = problemsOf(
            production((r) => {
                r.collector.gitlab = { url: "http://gitlab.example.com" };
                r.collector.github = { enabled: "no" };
                r.collector.forwardDestinations = [{ name: "siem", cidr: "10.20.0.0/16", port: 70000, protocol: "tcp" }];
            }),
        );
        assert.deepStrictEqual(problems, [
            'org-logging:collector.gitlab.url: "http://gitlab.example.com" is not an https issuer URL such as https://gitlab.com',
            'org-logging:collector.github.enabled: "no" is not true or false',
            "org-logging:collector.forwardDestinations.0.port: 70000 is not a port (1-65535)",
            'org-logging:collector.forwardDestinations.0.protocol: "tcp" is not a protocol (TCP | UDP)',
        ]);
        const config = loadStackConfig(
            production((r) => {
                r.collector.github = { enabled: false };
                r.collector.gitlab = {
                    url: "https://gitlab.example.com",
                    providerArn: "arn:aws:iam::333333333333:oidc-provider/gitlab.example.com",
                };
            }),
            "p",
        );
        assert.deepStrictEqual([config.collector.github, config.collector.gitlab?.url], [{ enabled: false }, "https://gitlab.example.com"]);
        assert.deepStrictEqual(loadStackConfig(rawStackConfig("production"), "p").collector.forwardDestinations, [
            { name: "siem", cidr: "10.20.0.0/16", port: 6514, protocol: "TCP" },
        ]);
    });
});

describe("infra/config: collector.manifestPublicKeyPem", () => {
    const spki = (k: crypto.KeyObject) => k.export({ type: "spki", format: "pem" }).toString();
    const ec = (namedCurve: string) => spki(crypto.generateKeyPairSync("ec", { namedCurve }).publicKey);
    const key = "org-logging:collector.manifestPublicKeyPem";
    const fix = "set it to the signing KMS key's public half (`aws kms get-public-key`, converted to PEM as docs/agent.md shows)";

    it("production's is an EC P-256 public key, integration has none", () => {
        const prod = loadStackConfig(rawStackConfig("production"), "p").collector.manifestPublicKeyPem!;
        const parsed = crypto.createPublicKey(prod);
        assert.deepStrictEqual(
            [parsed.type, parsed.asymmetricKeyType, parsed.asymmetricKeyDetails?.namedCurve],
            ["public", "ec", "prime256v1"],
        );
        assert.strictEqual(loadStackConfig(rawStackConfig("integration"), "i").collector.manifestPublicKeyPem, undefined);
    });

    it("refuses text that is no public key, a private key, a damaged key and keys the collectors cannot verify with, in one line each", () => {
        const p256 = ec("prime256v1");
        const privateKey = crypto
            .generateKeyPairSync("ec", { namedCurve: "prime256v1" })
            .privateKey.export({ type: "pkcs8", format: "pem" })
            .toString();
        const damaged = p256.replace(/\n[A-Za-z0-9+/]{8}/, "\nAAAAAAAA");
        const cases: Array<[unknown, string]> = [
            [
                "arn:aws:kms:eu-west-1:333333333333:key/1234",
                `${key}: is not a PEM public key (it starts with "arn:aws:kms:eu-west-1:333333333333:key/1"); ${fix}`,
            ],
            [privateKey, `${key}: is a private key, which must never be in the stack file; ${fix}`],
            [damaged, `${key}: is not a valid PEM public key (the key data does not parse); ${fix}`],
            [
                spki(crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey),
                `${key}: is an RSA key; the collectors verify ECDSA_SHA_256 signatures, so it must be the public half of an ECC_NIST_P256 (P-256) KMS key; ${fix}`,
            ],
            [
                ec("secp384r1"),
                `${key}: is an EC key on secp384r1; the collectors verify ECDSA_SHA_256 signatures, so it must be the public half of an ECC_NIST_P256 (P-256) KMS key; ${fix}`,
            ],
            [42, `${key}: 42 is not a PEM public key (-----BEGIN PUBLIC KEY----- ...)`],
        ];
        for (const [value, message] of cases) {
            assert.deepStrictEqual(problemsOf(production((r) => (r.collector.manifestPublicKeyPem = value))), [message]);
        }
        assert.strictEqual(
            loadStackConfig(
                production((r) => (r.collector.manifestPublicKeyPem = p256)),
                "p",
            ).collector.manifestPublicKeyPem,
            p256,
        );
    });
});

describe("infra/config: archive", () => {
    it("reads production's Object Lock decision and leaves the sandbox without one", () => {
        assert.deepStrictEqual(loadStackConfig(rawStackConfig("production"), "p").archive, {
            objectLockMode: "GOVERNANCE",
            objectLockDays: 365,
        });
        assert.strictEqual(loadStackConfig(rawStackConfig("integration"), "i").archive, undefined);
    });

    it("names the key and the value of a bad Object Lock mode, days or unknown key", () => {
        assert.deepStrictEqual(
            problemsOf(
                production((r) => {
                    r.archive = { objectLockMode: "governance", objectLockDays: 1.5, retention: 10 };
                }),
            ),
            [
                'org-logging:archive.objectLockMode: "governance" is not an Object Lock mode (GOVERNANCE | COMPLIANCE)',
                "org-logging:archive.objectLockDays: 1.5 is not a whole number",
                "org-logging:archive.retention: unknown key; check its spelling or remove it",
            ],
        );
    });
});
