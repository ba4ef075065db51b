import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';

/** The date every test pins as "today". */
export const TODAY = '2026-11-23';

/** A cdktf app with "today" pinned, and a stack that declares the AWS provider. */
export function awsStack(id = 'stack', context: Record<string, unknown> = {}): { app: App; stack: TerraformStack } {
  const app = Testing.app({ context: { 'nhi:today': TODAY, ...context } } as any);
  const stack = new TerraformStack(app, id);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return { app, stack };
}

/** The synthesised Terraform JSON of a stack, with validations run. */
export function synth(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack, true));
}

/** The message of the error a synth with validations throws, or '' if it passes. */
export function validationErrors(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
  } catch (e: any) {
    return e.message;
  }
  return '';
}

/** The resources of one type in a synthesised stack, as a list. */
export function resources(json: any, type: string): any[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** Calls `fn`, expecting a GovernanceError; returns it. */
export function governanceError(fn: () => unknown): { name: string; message: string; violations: { code: string; field: string; message: string; fix: string; given?: string }[] } {
  try {
    fn();
  } catch (e: any) {
    if (e?.name !== 'GovernanceError') throw e;
    return e;
  }
  throw new Error('expected a GovernanceError, but nothing was thrown');
}

/** Valid governance props shared by tests. */
export const GOVERNANCE = {
  owner: { team: 'billing', contact: 'billing@example.com' },
  purpose: 'Reads nightly billing exports for the reporting job',
  expires: '2027-03-01',
};
