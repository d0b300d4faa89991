/** An error answered by the API (or a failure to reach it), with a message meant for people. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The API's stable error code, e.g. `INVALID_CREDENTIALS`. */
  readonly code: string;
  /** What exactly is wrong, item by item (e.g. each post target's problems); empty when not given. */
  readonly details: ErrorDetail[];

  constructor(status: number, code: string, message: string, details: ErrorDetail[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** One item of an error's `details`: `target` names what it is about (a post target's account id). */
export interface ErrorDetail {
  target?: string;
  code: string;
  message: string;
}

/** Whether the error means "not signed in" (an expired or missing session). */
export const isUnauthenticated = (error: unknown): boolean =>
  error instanceof ApiError && error.code === 'UNAUTHENTICATED';

/** The message to show for any error, API or not. */
export const errorMessage = (error: unknown): string =>
  error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const { error } = value;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

const isDetail = (value: unknown): value is ErrorDetail =>
  typeof value === 'object' &&
  value !== null &&
  'code' in value &&
  typeof value.code === 'string' &&
  'message' in value &&
  typeof value.message === 'string' &&
  (!('target' in value) || value.target === undefined || typeof value.target === 'string');

const readDetails = (details: unknown): ErrorDetail[] => (Array.isArray(details) ? details.filter(isDetail) : []);

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isErrorBody(body))
    return new ApiError(response.status, body.error.code, body.error.message, readDetails(body.error.details));
  const message =
    response.status >= 500
      ? 'The server ran into a problem. Please try again in a moment.'
      : `The request failed (HTTP ${response.status}).`;
  return new ApiError(response.status, 'HTTP_ERROR', message);
}

type Method = 'GET' | 'POST' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Answer the body as text (e.g. Markdown) instead of parsing it as JSON. */
  text?: boolean;
}

/**
 * Calls the Tether API with the session cookie. Resolves with the parsed JSON body
 * (`undefined` for empty responses such as 204); rejects with an {@link ApiError}.
 */
export async function apiRequest<T>(
  method: Method,
  path: string,
  { body, signal, text: asText }: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: asText ? 'text/*, application/json' : 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server. Check your connection and try again.');
  }

  if (!response.ok) throw await toApiError(response);
  const text = await response.text();
  if (asText) return text as T;
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>('GET', path, { signal }),
  getText: (path: string, signal?: AbortSignal) => apiRequest<string>('GET', path, { signal, text: true }),
  post: <T>(path: string, body: unknown = {}) => apiRequest<T>('POST', path, { body }),
  delete: <T = void>(path: string, body?: unknown) => apiRequest<T>('DELETE', path, { body }),
};
