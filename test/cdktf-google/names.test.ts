import { Testing } from 'cdktf';
import { GovernedServiceAccount } from '../../lib/cdktf-google';
import { googleStack, GOVERNANCE, PROJECT } from './helpers';

/** The names Google gives the shared notice resources of a stack (Google has no name prefixes). */
function sharedNames(stackId: string, accountId: string): string[] {
  const { stack } = googleStack(stackId);
  new GovernedServiceAccount(stack, 'Reader', { ...GOVERNANCE, project: PROJECT, accountId, scope: [{ role: 'roles/storage.objectViewer', bucket: 'acme-billing-exports' }], keys: { justification: 'On-premises invoice scanner cannot federate' } });
  const tf = JSON.parse(Testing.synth(stack));
  const r = tf.resource;
  return [
    ...Object.values<any>(r.google_service_account).map((x) => `account ${x.account_id}`),
    ...Object.values<any>(r.google_project_iam_custom_role).map((x) => `role ${x.role_id}`),
    ...Object.values<any>(r.google_cloud_scheduler_job).map((x) => `job ${x.name}`),
  ].filter((n) => !n.endsWith(` ${accountId}`)).sort();
}

describe('names of the shared notice resources (docs/cdktf-google.md, Notifications)', () => {
  test('they come from the stack\'s construct path and the project: stacks of another name get others', () => {
    const prod = sharedNames('prod', 'billing-reader');
    expect(prod.some((n) => n.startsWith('account nhi-notifier-'))).toBe(true);
    expect(prod.some((n) => n.startsWith('role nhiNotifier_'))).toBe(true);
    expect(prod.some((n) => n.startsWith('job nhi-'))).toBe(true);
    const other = sharedNames('billing-prod', 'billing-reader');
    expect(prod.filter((n) => other.includes(n))).toEqual([]);
    // Two apps whose stacks have the same path need the same names: in one project the second
    // apply fails with "already exists" (nothing is shared or overwritten).
    expect(sharedNames('prod', 'billing-reader')).toEqual(prod);
  });
});
