/** observability/: Prometheus metrics, liveness and readiness; the Grafana dashboard lives beside them. */
export { HubMetrics } from './HubMetrics.js';
export type { HubMetricsSources } from './HubMetricsTypes.js';
export { observabilityRoutes, type ObservabilityRoutesOptions } from './observabilityRoutes.js';
