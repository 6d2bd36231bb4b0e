// The CrossGuard pack run by `pulumi preview --policy-pack policy-pack`. Never import this file
// from tests or tools: `new PolicyPack` starts the analyzer's gRPC server and does not return.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, { policies });
