import { ANALYTICS_ROUTES } from './analytics/analytics-routes.js';
import { APPROVAL_ROUTES } from './approvals/approval-routes.js';
import { CATALOG_IMPORT_ROUTES } from './catalog/catalog-import-route.js';
import { AUTH_ROUTES } from '../auth/auth-routes.js';
import { ACCOUNT_ROUTES } from './accounts/account-routes.js';
import { ADMIN_ROUTES } from './admin/admin-routes.js';
import { CATALOG_ROUTES } from './catalog/catalog-routes.js';
import { CATALOG_WRITE_ROUTES } from './catalog/catalog-write-routes.js';
import { CREDIT_ROUTES } from './credit/credit-routes.js';
import { CREDIT_WRITE_ROUTES } from './credit/credit-write-routes.js';
import { EXPORT_ROUTES } from './exports/export-routes.js';
import { INTELLIGENCE_ROUTES } from './intelligence/intelligence-routes.js';
import { LIFECYCLE_ROUTES } from './lifecycle/lifecycle-routes.js';
import { DELIVERY_ROUTES } from './lifecycle/delivery-routes.js';
import { ORDER_ROUTES } from './orders/order-routes.js';
import { QUEUE_ROUTES } from './queues/queue-routes.js';
import { RECOVERY_ROUTES } from './recovery/recovery-routes.js';
import { PRIVACY_ROUTES } from './privacy/privacy-routes.js';
import { METRICS_ROUTES } from './reports/metrics-routes.js';
import { RISK_ROUTES } from './risk/risk-routes.js';
import type { AnyRoute } from './route.js';
import { SCORING_ROUTES } from './scoring/scoring-routes.js';
import { SYSTEM_STATS_ROUTES } from './admin/system-stats-route.js';
import { PRICE_ALERT_ROUTES } from './intelligence/price-alerts-route.js';

/** Every route under /api/v1, by group. A new group is added here (and to the RBAC table in its test). */
// biome-ignore format: one group a line, so branches that add groups append lines that merge.
export const API_ROUTES: readonly AnyRoute[] = [
  ...ORDER_ROUTES,
  ...CATALOG_ROUTES,
  ...CREDIT_ROUTES,
  ...LIFECYCLE_ROUTES,
  ...CREDIT_WRITE_ROUTES,
  ...SCORING_ROUTES,
  ...CATALOG_WRITE_ROUTES,
  ...CATALOG_IMPORT_ROUTES,
  ...RISK_ROUTES,
  ...AUTH_ROUTES,
  ...ACCOUNT_ROUTES,
  ...ADMIN_ROUTES,
  ...METRICS_ROUTES,
  ...EXPORT_ROUTES,
  ...QUEUE_ROUTES,
  ...RECOVERY_ROUTES,
  ...ANALYTICS_ROUTES,
  ...INTELLIGENCE_ROUTES,
  ...PRIVACY_ROUTES,
  ...SYSTEM_STATS_ROUTES,
  ...PRICE_ALERT_ROUTES,
  ...DELIVERY_ROUTES,
  ...APPROVAL_ROUTES,
];
