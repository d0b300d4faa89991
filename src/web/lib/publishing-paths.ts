/** Where the publishing pages live. */
export const COMPOSE_PATH = '/compose';
export const POSTS_PATH = '/posts';
/** `?view=` of the Posts page: which posts to list. */
export const POSTS_VIEW_PARAM = 'view';
