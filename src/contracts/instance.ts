import { z } from 'zod';

export const instanceInfo = z.object({
  version: z.string(),
  sandbox: z.boolean().describe('Providers are routed to the built-in sandbox; nothing reaches Meta or LinkedIn.'),
  publicUrl: z.string(),
});
export type InstanceInfo = z.infer<typeof instanceInfo>;

export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean().describe('May use the admin area.'),
});
export type SessionUser = z.infer<typeof sessionUser>;
