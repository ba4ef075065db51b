import { NhiRisk, Violation, violation } from '../violation';

/** Request limits of an API key. */
export interface ApiKeyThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Largest burst of concurrent requests. */
  readonly burstLimit: number;
}

/** Number of requests an API key may make per period. */
export interface ApiKeyQuota {
  /** Requests per period. */
  readonly limit: number;
  /** `DAY`, `WEEK` or `MONTH`. */
  readonly period: string;
  /**
   * Days (or hours for DAY) into the period at which the quota resets.
   * @default 0
   */
  readonly offset?: number;
}

const RISKS = [NhiRisk.NHI5, NhiRisk.NHI2];

/** Throttle is required: a leaked key must not be able to drain the API. */
export function checkThrottle(throttle: unknown, field = 'throttle'): Violation[] {
  if (!throttle || typeof throttle !== 'object') {
    return [violation('NHI_THROTTLE_MISSING', field, 'an API key needs request limits, so a leaked key cannot drain the API',
      'set throttle: { rateLimit: 10, burstLimit: 20 } sized for the client', throttle ?? undefined, RISKS)];
  }
  const t = throttle as { rateLimit?: unknown; burstLimit?: unknown };
  const out: Violation[] = [];
  if (typeof t.rateLimit !== 'number' || !(t.rateLimit > 0) || !Number.isFinite(t.rateLimit)) {
    out.push(violation('NHI_THROTTLE_INVALID', `${field}.rateLimit`, 'must be a number of requests per second greater than 0', 'set e.g. rateLimit: 10', t.rateLimit, RISKS));
  }
  if (typeof t.burstLimit !== 'number' || !Number.isInteger(t.burstLimit) || t.burstLimit < 1) {
    out.push(violation('NHI_THROTTLE_INVALID', `${field}.burstLimit`, 'must be a whole number of requests, at least 1', 'set e.g. burstLimit: 20', t.burstLimit, RISKS));
  }
  return out;
}

/** Quota, when given, must be well formed. */
export function checkQuota(quota: unknown, field = 'quota'): Violation[] {
  if (quota === undefined || quota === null) return [];
  const q = (typeof quota === 'object' ? quota : {}) as { limit?: unknown; period?: unknown; offset?: unknown };
  const out: Violation[] = [];
  if (typeof q.limit !== 'number' || !Number.isInteger(q.limit) || q.limit < 1) {
    out.push(violation('NHI_QUOTA_INVALID', `${field}.limit`, 'must be a whole number of requests, at least 1', 'set e.g. limit: 10000', q.limit, RISKS));
  }
  if (!['DAY', 'WEEK', 'MONTH'].includes(q.period as string)) {
    out.push(violation('NHI_QUOTA_INVALID', `${field}.period`, "must be 'DAY', 'WEEK' or 'MONTH'", "set e.g. period: 'DAY'", q.period, RISKS));
  }
  if (q.offset !== undefined && (typeof q.offset !== 'number' || !Number.isInteger(q.offset) || q.offset < 0)) {
    out.push(violation('NHI_QUOTA_INVALID', `${field}.offset`, 'must be a whole number, at least 0', 'remove offset or set e.g. 0', q.offset, RISKS));
  }
  return out;
}

/** AWS API key scope: the API stages it may call, never empty, never a wildcard. */
export function checkApiStages(scope: unknown, field = 'scope'): Violation[] {
  if (!Array.isArray(scope) || scope.length === 0) {
    return [violation('NHI_SCOPE_EMPTY', field, 'an API key needs the API stages it may call',
      "set scope: [{ restApiId: api.id, stage: 'prod' }]", scope ?? undefined, [NhiRisk.NHI5])];
  }
  const out: Violation[] = [];
  scope.forEach((s: unknown, i: number) => {
    const o = (s && typeof s === 'object' ? s : {}) as { restApiId?: unknown; stage?: unknown };
    for (const k of ['restApiId', 'stage'] as const) {
      const v = o[k];
      if (typeof v !== 'string' || v.trim() === '') {
        out.push(violation('NHI_SCOPE_EMPTY', `${field}[${i}].${k}`, 'is required', `set ${field}[${i}].${k}`, v, [NhiRisk.NHI5]));
      } else if (v.includes('*')) {
        out.push(violation('NHI_SCOPE_WILDCARD', `${field}[${i}].${k}`, 'wildcards are not API stages', 'name the API and stage', v, [NhiRisk.NHI5]));
      }
    }
  });
  return out;
}
