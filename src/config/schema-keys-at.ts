import type { z } from 'zod';

// The parts of a zod 4 schema's definition this walk reads; zod's own def types are a wide union.
interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
}

/**
 * The keys an object schema allows at `path` (as a zod issue gives it: ["hosts", 0, "ssh"]), in
 * the schema's order; [] when the path does not lead to an object. Suggestions for a mistyped key
 * come from here, so they can never name a key the schema would refuse.
 */
export function schemaKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let def = unwrap(schema);
  for (const key of path) {
    const next = typeof key === 'number' ? def.element : def.shape?.[String(key)];
    if (!next) return [];
    def = unwrap(next);
  }
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

// .optional(), .default(), .prefault() and transforms wrap the object they describe.
function unwrap(schema: z.core.$ZodType): Def {
  let def = schema._zod.def as unknown as Def;
  for (;;) {
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return def;
    def = inner._zod.def as unknown as Def;
  }
}
