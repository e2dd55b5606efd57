/**
 * GET routes whose handlers only read the workspace: their answers may be cached (response-cache.ts) and
 * their engine calls may run beside each other on read connections (engine-lock.ts). A new read route is
 * added here; a route that writes, or fills a scratch table, never is.
 */
export const READ_ROUTES: readonly string[] = [
  '/api/info',
  '/api/rfm',
  '/api/segments/:kind',
  '/api/lifecycle',
  '/api/lifecycle/mix',
  '/api/lifecycle/transitions',
  '/api/lifecycle/flows',
  '/api/lifecycle/rules',
  '/api/alerts',
  '/api/alerts/rules',
  '/api/customers',
  '/api/customers/:id',
  '/api/churn/scores',
  '/api/clv/fits',
  '/api/clv/fits/:id',
  '/api/clv/predictions',
  '/api/clv/distribution',
  '/api/survival/km',
  '/api/survival/cox',
  '/api/survival/cohorts',
  '/api/campaigns',
  '/api/campaigns/:id/evaluation',
  '/api/plans',
  '/api/plans/:id',
  '/api/reports',
  '/api/reports/:name',
];
