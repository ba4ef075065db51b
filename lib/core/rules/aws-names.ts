import { NhiRisk, Violation, violation } from '../violation';

/** IAM role and user names: 1-64 characters of letters, digits and `+=,.@_-`. */
export function checkAwsIamName(name: unknown, field = 'name', max = 64): Violation[] {
  if (typeof name !== 'string' || name === '') {
    return [violation('NHI_NAME_INVALID', field, 'an identity needs a name reviewers can find in the cloud',
      "set a name such as 'billing-report-reader'", name ?? undefined, [NhiRisk.NHI1])];
  }
  if (name.length > max || !/^[\w+=,.@-]+$/.test(name)) {
    return [violation('NHI_NAME_INVALID', field, `must be 1-${max} characters of letters, digits and + = , . @ _ -`,
      `use e.g. '${name.replace(/[^\w+=,.@-]+/g, '-').slice(0, max)}'`, name, [NhiRisk.NHI1])];
  }
  return [];
}

/** API Gateway key and usage plan names: 1-128 printable characters. */
export function checkApiKeyName(name: unknown, field = 'name'): Violation[] {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128 || /[\u0000-\u001f]/.test(name)) {
    return [violation('NHI_NAME_INVALID', field, 'must be 1-128 printable characters',
      "set a name such as 'partner-acme-orders'", name ?? undefined, [NhiRisk.NHI1])];
  }
  return [];
}
