import { restErrors } from './rest-errors.ts';

/** The body of `POST /rest/posts` once its shape has been checked (reference §8.5). */
export interface PostBody {
  author: string;
  commentary: string;
  visibility: string;
  lifecycleState: string;
  content?: Record<string, unknown>;
  /** Every image URN the content refers to, to check they exist and are uploaded. */
  imageUrns: string[];
}

const VISIBILITY = ['PUBLIC', 'CONNECTIONS', 'LOGGED_IN', 'CONTAINER'];
const FEED_DISTRIBUTION = ['MAIN_FEED', 'NONE'];
const LIFECYCLE = ['PUBLISHED', 'DRAFT'];
/** LinkedIn's commentary limit. */
export const MAX_COMMENTARY_LENGTH = 3000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

const enumField = (object: Json, path: string, name: string, symbols: string[]): string => {
  const value = object[name];
  if (value === undefined) throw restErrors.required(`${path}/${name}`);
  if (typeof value !== 'string' || !symbols.includes(value)) {
    throw restErrors.validation(`${path}/${name}`, `${JSON.stringify(value)} is not an enum symbol`);
  }
  return value;
};

const imageUrn = (value: unknown, path: string): string => {
  if (value === undefined) throw restErrors.required(path);
  if (typeof value !== 'string' || !/^urn:li:(image|video|document):[\w-]+$/.test(value)) {
    throw restErrors.validation(path, `${JSON.stringify(value)} is not a valid media URN`);
  }
  if (!value.startsWith('urn:li:image:')) {
    throw restErrors.illegalArgument(`The sandbox supports image media only, not ${value}`);
  }
  return value;
};

function parseContent(content: unknown): { content: Json; imageUrns: string[] } {
  if (!isObject(content)) throw restErrors.validation('/content', 'is not a record');
  const kinds = Object.keys(content);
  const kind = kinds[0];
  if (kinds.length !== 1 || !kind || !['media', 'multiImage', 'article'].includes(kind)) {
    throw restErrors.validation('/content', 'must hold exactly one of media, multiImage, article');
  }
  const value = content[kind];
  if (!isObject(value)) throw restErrors.validation(`/content/${kind}`, 'is not a record');
  if (kind === 'media') return { content, imageUrns: [imageUrn(value.id, '/content/media/id')] };
  if (kind === 'multiImage') {
    const images = value.images;
    if (!Array.isArray(images) || images.length < 2 || images.length > 20) {
      throw restErrors.validation('/content/multiImage/images', 'must hold between 2 and 20 images');
    }
    return {
      content,
      imageUrns: images.map((image, index) =>
        imageUrn(isObject(image) ? image.id : undefined, `/content/multiImage/images/${index}/id`),
      ),
    };
  }
  if (typeof value.source !== 'string' || !/^https?:\/\/\S+$/.test(value.source)) {
    throw restErrors.validation('/content/article/source', 'must be an absolute http(s) URL');
  }
  return {
    content,
    imageUrns: value.thumbnail === undefined ? [] : [imageUrn(value.thumbnail, '/content/article/thumbnail')],
  };
}

/** Checks the shape of a post; missing fields give 422, a non-URN author 403, exactly as LinkedIn answers. */
export function parsePostBody(body: unknown): PostBody {
  if (!isObject(body)) throw restErrors.illegalArgument('The request body must be a JSON object');
  if (body.author === undefined) throw restErrors.required('/author');
  if (typeof body.author !== 'string' || !/^urn:li:[A-Za-z]+:\S+$/.test(body.author)) {
    throw restErrors.fieldValueFailed('/author');
  }
  return { author: body.author, ...parseRest(body) };
}

function parseRest(body: Json): Omit<PostBody, 'author'> {
  const commentary = body.commentary ?? '';
  if (typeof commentary !== 'string') throw restErrors.validation('/commentary', 'is not a string');
  if (commentary.length > MAX_COMMENTARY_LENGTH) {
    throw restErrors.validation('/commentary', `is longer than ${MAX_COMMENTARY_LENGTH} characters`);
  }
  const visibility = enumField(body, '', 'visibility', VISIBILITY);
  if (!isObject(body.distribution)) throw restErrors.required('/distribution');
  enumField(body.distribution, '/distribution', 'feedDistribution', FEED_DISTRIBUTION);
  const lifecycleState = enumField(body, '', 'lifecycleState', LIFECYCLE);
  if (body.isReshareDisabledByAuthor !== undefined && typeof body.isReshareDisabledByAuthor !== 'boolean') {
    throw restErrors.validation('/isReshareDisabledByAuthor', 'is not a boolean');
  }
  const parsed = body.content === undefined ? undefined : parseContent(body.content);
  return { commentary, visibility, lifecycleState, content: parsed?.content, imageUrns: parsed?.imageUrns ?? [] };
}
