import { Type, type TSchema } from 'typebox';

/** RFC 9457 problem document, as every error response of the API looks. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    code: Type.String({ description: 'Stable machine-readable code, e.g. "validation-failed".' }),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Response entries for the usual error statuses, referencing the shared Problem schema. */
export function problemResponses(...statuses: number[]): Record<number, { $ref: string; description: string }> {
  const result: Record<number, { $ref: string; description: string }> = {};
  for (const status of statuses) result[status] = { $ref: 'Problem#', description: 'Problem details (application/problem+json)' };
  return result;
}

// Building blocks shared by every module's route schemas.
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Optimistic locking: every write to a versioned record names the version it read. */
export const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The version read, e.g. "3" (required)' })) });
