import { z } from 'zod';

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .array(z.object({ target: z.string().optional(), code: z.string(), message: z.string() }))
        .optional()
        .describe("What exactly is wrong, item by item (e.g. each post target's problems)."),
    }),
  })
  .meta({ id: 'Error', description: 'Every error response: a stable code and a message to show.' });
