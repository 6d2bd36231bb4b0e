export * from "./log-archive-account";
export * from "./firelens-service";
export * from "./athena-elb-table";
