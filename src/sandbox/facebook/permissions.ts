/** Facebook Login permissions the sandbox knows (unknown names get Facebook's "Invalid Scopes" page). */
export const KNOWN_PERMISSIONS = new Set([
  'public_profile',
  'email',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'pages_manage_metadata',
  'pages_manage_engagement',
  'pages_read_user_content',
  'pages_messaging',
  'publish_video',
  'read_insights',
  'instagram_basic',
  'instagram_content_publish',
  'instagram_manage_comments',
  'instagram_manage_insights',
  'business_management',
]);

/**
 * The permission set used for any Login for Business `config_id` (a configuration fixes its
 * permissions in the App Dashboard; the sandbox has one fixed configuration for every id).
 */
export const LOGIN_FOR_BUSINESS_PERMISSIONS = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_posts',
  'instagram_basic',
  'instagram_content_publish',
  'business_management',
];

/** Facebook always grants this one, whether asked for or not. */
export const ALWAYS_GRANTED = 'public_profile';

/** Scopes whose grant is tied to picked Pages / Instagram accounts (debug_token `granular_scopes[].target_ids`). */
export const targetKindOf = (scope: string): 'page' | 'instagram' | undefined => {
  if (scope.startsWith('pages_') || scope === 'publish_video' || scope === 'read_insights') return 'page';
  if (scope.startsWith('instagram_')) return 'instagram';
  return undefined;
};

/** Facebook accepts commas (documented) and spaces between permission names. */
export const parseScope = (scope: string | undefined): string[] => [
  ...new Set((scope ?? '').split(/[\s,]+/).filter(Boolean)),
];

/** Page tasks that allow publishing (reference §2.5). */
export const PUBLISHING_TASKS = ['CREATE_CONTENT', 'MANAGE', 'MODERATE'];
