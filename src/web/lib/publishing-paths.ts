/** Where the publishing pages live. */
export const COMPOSE_PATH = '/compose';
export const POSTS_PATH = '/posts';
/** `?view=` of the Posts page: which posts to list. */
export const POSTS_VIEW_PARAM = 'view';
/** `?post=` of the Posts page: show this one post (where a notification leads). */
export const POSTS_POST_PARAM = 'post';
export const postPagePath = (postId: string) => `${POSTS_PATH}?${POSTS_POST_PARAM}=${encodeURIComponent(postId)}`;
