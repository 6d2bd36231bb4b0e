import * as aws from "@pulumi/aws";

/** One statement of an IAM, bucket or key policy; every statement we write has a `Sid`. */
export type Statement = aws.iam.PolicyStatement & { Sid: string };

/** Wraps statements into a policy document of the current policy language version. */
export function policyDocument(statements: Statement[]): aws.iam.PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Denies every request to the bucket and its objects that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}
