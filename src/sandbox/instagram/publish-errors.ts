import { GraphError } from '../core/graph.ts';

/**
 * Errors from Instagram's publishing table (reference §4.7): the `code` / `error_subcode` pair,
 * with the readable title and text Meta adds for these, and `is_transient` as Meta sets it.
 */
const publishingError = (code: number, subcode: number, title: string, message: string, isTransient = false) =>
  new GraphError({
    code,
    subcode,
    message: `(#${code}) ${message}`,
    userTitle: title,
    userMessage: message,
    isTransient,
  });

export const publishErrors = {
  downloadTimeout: () =>
    publishingError(-2, 2207003, 'Media download has timed out', 'It took too long to download the media.', true),
  expired: (id: string) =>
    publishingError(
      -2,
      2207020,
      'The media you are trying to access has expired',
      `The container ${id} has expired. Please create a new one.`,
    ),
  quotaReached: (total: number) =>
    publishingError(
      9,
      2207042,
      'Reached maximum number of posts',
      `You have reached the maximum of ${total} published posts in 24 hours.`,
    ),
  containerCap: (cap: number) =>
    publishingError(
      9,
      2207042,
      'Reached maximum number of containers',
      `You have reached the maximum of ${cap} containers created in 24 hours.`,
    ),
  notFound: (id: string) => publishingError(24, 2207006, 'Media not found', `The media with id ${id} cannot be found.`),
  alreadyPublished: (id: string, mediaId: string) =>
    publishingError(
      24,
      2207006,
      'Media already published',
      `The container ${id} has already been published as media ${mediaId}.`,
    ),
  unknownMediaType: (detail: string) => publishingError(100, 2207023, 'Unknown media type', detail),
  carouselSize: () =>
    publishingError(100, 2207028, 'Carousel could not be published', 'A carousel must have between 2 and 10 items.'),
  thumbOffset: () =>
    publishingError(
      1,
      2207057,
      'Invalid thumbnail offset',
      'thumb_offset must be a whole number of milliseconds within the video.',
    ),
  notFetched: (detail: string) =>
    publishingError(
      9004,
      2207052,
      'Media could not be fetched from this URI',
      `The media could not be fetched from the URI: ${detail}`,
    ),
  notReady: (id: string) =>
    publishingError(
      9007,
      2207027,
      'Media is not ready to be published',
      `The media ${id} is not ready for publishing, please wait for a moment.`,
    ),
  imageTooLarge: () =>
    publishingError(36000, 2207004, 'Image is too large', 'The image is larger than the 8 MiB maximum.'),
  imageFormat: (detail: string) =>
    publishingError(
      36001,
      2207005,
      'Unsupported image format',
      `The image format is not supported: ${detail}. Only JPEG is supported.`,
    ),
  aspectRatio: (width: number, height: number) =>
    publishingError(
      36003,
      2207009,
      'Aspect ratio is not supported',
      `The aspect ratio ${width}x${height} is not within 4:5 and 1.91:1.`,
    ),
  caption: (detail: string) => publishingError(36004, 2207010, 'Caption is invalid', detail),
};

/** The subcode a container in ERROR reports, and the `status` text (format chosen for §10.4). */
export const UNSUPPORTED_VIDEO_SUBCODE = 2207026;
export const errorStatusText = (detail: string, subcode: number) => `Error: ${detail} (${subcode})`;
