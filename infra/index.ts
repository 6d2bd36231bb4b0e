// Entry point of the org-logging Pulumi program (Pulumi.yaml `main: infra/`).
import { readStackConfig } from "./config";
import { createOrgLogging } from "./program";

export = createOrgLogging(readStackConfig());
