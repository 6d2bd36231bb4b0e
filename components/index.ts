export * from "./log-archive-account";
