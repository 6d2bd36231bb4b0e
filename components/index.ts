export * from "./log-archive-account";
export * from "./org-trail";
export * from "./account-baseline";
export * from "./firelens-service";
export * from "./athena-elb-table";
export * from "./collector-fleet";
export * from "./pipeline-deployer-role";
