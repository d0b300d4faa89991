import { z } from 'zod';
import { MEDIA_KINDS } from './posts.ts';

export const MEDIA_LIST_DEFAULT_LIMIT = 50;
export const MEDIA_LIST_MAX_LIMIT = 100;
/** The multipart field that carries the file in `POST /api/media`. */
export const MEDIA_UPLOAD_FIELD = 'file';

export const media = z
  .object({
    id: z.uuid(),
    url: z
      .url()
      .describe(
        'The public, unguessable address of the file (no sign-in needed): what platforms fetch. Treat it as a secret link.',
      ),
    kind: z.enum(MEDIA_KINDS),
    mime: z.string().describe('The type of the served file: image/jpeg, video/mp4 or video/quicktime.'),
    width: z.number().int().nullable().describe('Pixels, as displayed (EXIF orientation or video rotation applied).'),
    height: z.number().int().nullable(),
    durationMs: z.number().int().nullable().describe('Videos only.'),
    sizeBytes: z.number().int(),
    sha256: z.string().describe('Hex SHA-256 of the served file; also its ETag.'),
    fileName: z.string().nullable().describe('The name the file was uploaded with; informational only.'),
    originalMime: z
      .string()
      .nullable()
      .describe('The uploaded type when the file was converted (e.g. image/png → image/jpeg), else null.'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Media' });
export type Media = z.infer<typeof media>;

export const mediaListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MEDIA_LIST_MAX_LIMIT).default(MEDIA_LIST_DEFAULT_LIMIT),
  cursor: z.string().min(1).max(200).optional().describe('`nextCursor` of the previous page.'),
});
export type MediaListQuery = z.infer<typeof mediaListQuery>;

export const mediaList = z.object({
  media: z.array(media).describe('Newest first.'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
});
export type MediaList = z.infer<typeof mediaList>;
