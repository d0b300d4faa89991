/** The admin area's page, shown in the menu to admins only. */
export const ADMIN_PATH = '/admin';
