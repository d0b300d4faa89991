import { z } from 'zod';

export const errorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every error response: a stable code and a message to show.' });
