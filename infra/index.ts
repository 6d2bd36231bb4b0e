// Entry point of the org-logging Pulumi program (Pulumi.yaml `main: infra/`).
import { readStackConfig } from "./config";

// The config is validated before the program (and with it @pulumi/aws) is loaded, so that a bad
// value is reported at once.
const config = readStackConfig();
const program: typeof import("./program") = require("./program");

export = program.createOrgLogging(config);
