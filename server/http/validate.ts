import type { z } from 'zod';

/** Parses a request part with a zod schema; a failure becomes a 400 with field-level details (error middleware). */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return schema.parse(value);
}
