import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';

/** The date every test pins as "today". */
export const TODAY = '2026-11-23';
/** The project of the test stacks. */
export const PROJECT = 'acme-billing-prod';

/** A cdktf app with "today" pinned, and a stack that declares the Google provider. */
export function googleStack(id = 'stack', context: Record<string, unknown> = {}): { app: App; stack: TerraformStack } {
  const app = Testing.app({ context: { 'nhi:today': TODAY, ...context } } as any);
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project: PROJECT, region: 'europe-west1' });
  return { app, stack };
}

/** Valid governance props shared by tests. */
export const GOVERNANCE = {
  owner: { team: 'billing', contact: 'billing@example.com' },
  purpose: 'Reads nightly billing exports for the reporting job',
  expires: '2027-06-30',
};
