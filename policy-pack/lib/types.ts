// The resource types the rules judge are named by their @pulumi/aws classes, never by type-token
// strings: a class's token is what the engine reports as a resource's `type`, and the class's Args
// type is the shape of the resource's `props` (its inputs), so a misspelt type or property fails
// the type check instead of silently matching nothing.
import * as aws from "@pulumi/aws";
import type { Resource, Unwrap } from "@pulumi/pulumi";

/** A resource class whose constructor takes `(name, args, opts)`, as every @pulumi/aws class does. */
export type ResourceClass<TArgs = any> = { new (name: string, args: TArgs, ...rest: any[]): Resource };

/** The props a rule sees for a resource of class `C` (a union for a union of classes): its Args, resolved. */
export type PropsOf<C> = C extends { new (name: string, args: infer A, ...rest: any[]): Resource } ? Unwrap<NonNullable<A>> : never;

/**
 * The type token of a resource class (`aws:s3/bucket:Bucket`): the static `__pulumiType` that every
 * generated class carries and that `isType`/`isInstance` compare (it is not in the typings).
 */
export function tokenOf(cls: ResourceClass): string {
    const token = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof token !== "string" || token === "") {
        throw new Error(`${cls.name} is not a Pulumi resource class (it has no type token)`);
    }
    return token;
}

/** Is the resource of one of the classes? */
export function isOfType(resource: { type: string }, classes: readonly ResourceClass[]): boolean {
    return classes.some((cls) => tokenOf(cls) === resource.type);
}

/** Both S3 bucket resources: `aws.s3.Bucket` and the older `aws.s3.BucketV2` that programs still create. */
export const S3_BUCKETS = [aws.s3.Bucket, aws.s3.BucketV2];

/**
 * The component that owns the log archive's buckets. The pack does not import the component
 * library (its rules must judge any program), so this one token is written out.
 */
export const LOG_ARCHIVE_ACCOUNT = "orglog:index:LogArchiveAccount";
