// Names derived from user input: account names are free text (AWS Organizations allows up to 50
// characters with spaces), but they end up inside logical names, and auto-naming turns logical
// names into physical ones (`<logical name>-<7 hex>`) that AWS caps at 64 characters (IAM roles,
// EventBridge rules), 63 lower-case (S3 buckets) or 32 (load balancers).

/** The longest account key: the longest child name built on it (`baseline-workload-<key>-non-compliant-<7 hex>`) stays within 64. */
export const MAX_ACCOUNT_KEY_LENGTH = 16;

/**
 * A short, stable key for an account, used in logical (and so physical) names. A name that is already
 * a short lower-case slug is kept as it is, so existing resources keep their names; any other name
 * becomes its first letters and digits plus the account id's last six digits, which keeps keys of
 * different accounts distinct whatever their names.
 */
export function accountNameKey(name: string, accountId: string): string {
    const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    if (slug === name && slug.length <= MAX_ACCOUNT_KEY_LENGTH && /^[a-z]/.test(slug)) {
        return slug;
    }
    const suffix = accountId.slice(-6);
    const head = slug.slice(0, MAX_ACCOUNT_KEY_LENGTH - suffix.length - 1).replace(/-+$/, "");
    return /^[a-z]/.test(head) ? `${head}-${suffix}` : `account-${suffix}`;
}
