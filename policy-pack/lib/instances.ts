// The resources that launch EC2 instances, which the instance rules read alike (metadata options,
// key pair), and the name messages give each.
import * as aws from "@pulumi/aws";
import { tokenOf } from "./types";

export const INSTANCE_LAUNCHERS = [aws.ec2.LaunchTemplate, aws.ec2.Instance, aws.ec2.LaunchConfiguration];

const KINDS = new Map<string, string>([
    [tokenOf(aws.ec2.LaunchTemplate), "launch template"],
    [tokenOf(aws.ec2.Instance), "instance"],
    [tokenOf(aws.ec2.LaunchConfiguration), "launch configuration"],
]);

/** `launch template`, `instance` or `launch configuration`, for messages. */
export function launcherKind(resource: { type: string }): string {
    return KINDS.get(resource.type) ?? resource.type;
}
