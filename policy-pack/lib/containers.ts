// Container definitions of an ECS task definition: a JSON string (or, written by hand, an array).
import { ResourceLike } from "./resources";
import { known, plainCopy, UNKNOWN } from "./unknown";

export interface ContainerDefinition {
    name?: string;
    image?: string;
    privileged?: boolean;
    user?: string;
    firelensConfiguration?: { type?: string; options?: Record<string, string> };
    portMappings?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
    linuxParameters?: { capabilities?: { add?: string[] } };
    [key: string]: unknown;
}

/** The containers, or undefined when the definitions are unknown during the preview or unreadable. */
export function containerDefinitions(resource: ResourceLike): ContainerDefinition[] | undefined {
    const raw = plainCopy(known(() => resource.props.containerDefinitions));
    if (raw === UNKNOWN || raw === undefined || raw === null) {
        return undefined;
    }
    let value: unknown = raw;
    if (typeof raw === "string") {
        try {
            value = JSON.parse(raw);
        } catch {
            return undefined;
        }
    }
    return Array.isArray(value) ? (value.filter((c) => c && typeof c === "object") as ContainerDefinition[]) : undefined;
}
