import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { MEDIA_KINDS } from '../../../contracts/posts.ts';
import { user } from './auth.ts';

/**
 * An uploaded file. Platforms fetch media themselves, so each file is served at an unguessable
 * public URL (`/media/<publicId>`). Images in a format Instagram refuses are converted to JPEG on
 * upload; the original is kept beside it.
 */
export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** 256-bit random, base64url: the only name under which the file is public. */
    publicId: text('public_id').notNull().unique(),
    kind: text('kind', { enum: MEDIA_KINDS }).notNull(),
    /** The file that is served and sent to platforms. */
    storageKey: text('storage_key').notNull(),
    mime: text('mime').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationMs: integer('duration_ms'),
    /** The upload as it came, when it was converted; null when it is served as uploaded. */
    originalStorageKey: text('original_storage_key'),
    originalMime: text('original_mime'),
    fileName: text('file_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('media_user_created_idx').on(table.userId, table.createdAt)],
);
