import { z } from 'zod';

export const deleteAccountBody = z.object({
  password: z.string().min(1, 'enter your current password').max(1024).describe('Your current password, to confirm.'),
});
export type DeleteAccountBody = z.infer<typeof deleteAccountBody>;

export const accountDeletion = z.object({
  status: z
    .enum(['completed', 'pending'])
    .describe('`pending`: the rest is being deleted in the background and the status page will say when it is done.'),
  statusUrl: z.url().describe('A public page that says whether the deletion is complete (no personal data on it).'),
});
export type AccountDeletion = z.infer<typeof accountDeletion>;
