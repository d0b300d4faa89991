import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { firstAdmin, user } from '../db/schema/index.ts';

/** Who may open the admin area: users flagged `is_admin`. */

/**
 * The first user of an install becomes admin: a new user claims the single `first_admin` row, and
 * only the insert that creates it makes its user admin, so two simultaneous first sign-ups give
 * exactly one admin. Called after every user is created (`plugins/auth.ts`).
 */
export async function claimFirstAdmin(db: Database, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .insert(firstAdmin)
      .values({ userId })
      .onConflictDoNothing()
      .returning({ userId: firstAdmin.userId });
    if (claimed.length === 0) return false;
    await tx.update(user).set({ isAdmin: true }).where(eq(user.id, userId));
    return true;
  });
}

export async function isAdmin(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ isAdmin: user.isAdmin }).from(user).where(eq(user.id, userId));
  return row?.isAdmin ?? false;
}

/** Grants or revokes admin by email (the CLI); null when there is no such user. */
export async function setAdmin(db: Database, email: string, admin: boolean) {
  const [row] = await db
    .update(user)
    .set({ isAdmin: admin })
    .where(eq(user.email, email.toLowerCase()))
    .returning({ id: user.id, email: user.email, isAdmin: user.isAdmin });
  return row ?? null;
}

export function listAdmins(db: Database) {
  return db
    .select({ id: user.id, email: user.email, name: user.name, createdAt: user.createdAt })
    .from(user)
    .where(eq(user.isAdmin, true))
    .orderBy(asc(user.createdAt));
}
