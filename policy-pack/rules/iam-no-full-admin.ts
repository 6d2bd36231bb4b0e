import { ResourceValidationPolicy } from "@pulumi/policy";
import { IDENTITY_POLICY_CLASSES, identityPolicies } from "../lib/iam";
import { describeStatement, statementCoversAction } from "../lib/policy-document";
import { EXEMPT_RESOURCES_SCHEMA, ExemptionConfig, validateResourcesOf } from "../lib/rule";

export type IamNoFullAdminConfig = ExemptionConfig;

/** `*` on `*` turns any leaked credential into the whole account, including the power to stop logging. */
export const iamNoFullAdmin: ResourceValidationPolicy = {
    name: "iam-no-full-admin",
    description: 'No IAM policy allows every action ("*", "*:*", or every action but a few through NotAction) on every resource.',
    enforcementLevel: "mandatory",
    configSchema: { properties: { exemptResources: EXEMPT_RESOURCES_SCHEMA } },
    validateResource: validateResourcesOf(IDENTITY_POLICY_CLASSES, (_policy, args, reportViolation) => {
        for (const { where, policy } of identityPolicies(args)) {
            for (const statement of policy.statements) {
                if (statement.effect !== "Allow") {
                    continue;
                }
                const everyResource = statement.notResource || statement.resources.some((r) => r === "*");
                // NotAction on every resource grants every other service (PowerUserAccess is one): read it as admin.
                // Otherwise, covering unrelated services' actions at once is full admin in all but name.
                const everyAction =
                    statement.notAction ||
                    ["iam:CreateUser", "cloudtrail:StopLogging", "s3:DeleteBucket", "kms:ScheduleKeyDeletion"].every((a) =>
                        statementCoversAction(statement, a),
                    );
                if (everyResource && everyAction) {
                    const actions = statement.notAction
                        ? `every action except ${JSON.stringify(statement.actions)} (NotAction)`
                        : JSON.stringify(statement.actions.length === 1 ? statement.actions[0] : statement.actions);
                    reportViolation(
                        `${where} ${describeStatement(statement)} allows ${actions} on ${statement.notResource ? "every resource (NotResource)" : '"*"'}, which is full administrator access, including stopping the trail and deleting the archive. List the actions and resources the principal needs; use AWS managed job-function policies only through a reviewed break-glass role.`,
                    );
                }
            }
        }
    }),
};
