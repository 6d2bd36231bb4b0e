// Every rule of the pack, listed explicitly. Tests and the offline plan import this module; only
// index.ts (run by the Pulumi CLI) wraps it in a PolicyPack.
import { Policy } from "@pulumi/policy";
import { s3BucketOwnerFullControl } from "./rules/s3-bucket-owner-full-control";

export const PACK_NAME = "org-logging";

export const policies: Policy[] = [s3BucketOwnerFullControl];
