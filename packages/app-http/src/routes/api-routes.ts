import { ORDER_ROUTES } from './orders/order-routes.js';
import type { AnyRoute } from './route.js';

/** Every route under /api/v1, by group. A new group is added here (and to the RBAC table in its test). */
export const API_ROUTES: readonly AnyRoute[] = [...ORDER_ROUTES];
