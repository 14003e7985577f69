import * as z from 'zod';

export const ErrorBody = z
  .object({
    error: z.string(),
    message: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .meta({ id: 'Error' });

/** The error responses every route shares, for the OpenAPI document. */
export const errorResponses = {
  400: { description: 'Validation failed; `errors` names each failing field', schema: ErrorBody },
  404: { description: 'Unknown id', schema: ErrorBody },
  409: { description: 'Version conflict', schema: ErrorBody },
  500: { description: 'Unexpected failure; quote the request id', schema: ErrorBody },
};
