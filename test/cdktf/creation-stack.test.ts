import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Lazy, TerraformStack, Testing, Tokenization } from 'cdktf';
import { suspendCreationStacks } from '../../lib/cdktf/private/creation-stack';
import { GovernedServiceAccount as AwsAccount } from '../../lib/cdktf-aws';
import { GovernedServiceAccount as GoogleAccount } from '../../lib/cdktf-google';
import { awsStack, GOVERNANCE, governanceError, synth, TODAY } from '../helpers/cdktf';

const awsProps = { ...GOVERNANCE, name: 'reporting', assumedBy: { service: 'lambda.amazonaws.com' }, scope: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::exports/*'] }] };

function descriptor(): PropertyDescriptor | undefined {
  return Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
}

function captureDescriptor(): PropertyDescriptor | undefined {
  return Object.getOwnPropertyDescriptor(Error, 'captureStackTrace');
}

function creationStack(token: string): string[] {
  return Tokenization.reverseString(token).firstToken!.creationStack;
}

describe('creation stacks are suspended while a governed construct builds its own resources', () => {
  test('the resources a governed role builds carry no creation stack; user tokens made before and after keep theirs', () => {
    const { stack } = awsStack();
    const before = Lazy.stringValue({ produce: () => 'x' });
    const sa = new AwsAccount(stack, 'Sa', awsProps);
    const after = Lazy.stringValue({ produce: () => 'y' });
    // cdktf's empty nested-block list in the role's constructor (`inline_policy`).
    expect((sa.role!.inlinePolicy as any).creationStack).toEqual([]);
    expect(creationStack(before).length).toBeGreaterThan(0);
    expect(creationStack(after).length).toBeGreaterThan(0);
    // A reference the user takes later is cdktf's own, with its stack.
    expect(creationStack(sa.role!.arn).length).toBeGreaterThan(0);
  });

  test('Error.stackTraceLimit is the same afterwards, including a limit the user set', () => {
    const original = descriptor();
    try {
      Error.stackTraceLimit = 42;
      const { stack } = awsStack();
      new AwsAccount(stack, 'Sa', awsProps);
      expect(descriptor()).toEqual({ ...original, value: 42 });
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', original!);
    }
    const { stack } = awsStack();
    new AwsAccount(stack, 'Sa', awsProps);
    expect(descriptor()).toEqual(original);
  });

  test('while suspended, Error.captureStackTrace records nothing; the limit is untouched; afterwards both are as before', () => {
    const capture = captureDescriptor();
    const limit = descriptor();
    const resume = suspendCreationStacks();
    try {
      const into: { stack?: string } = {};
      Error.captureStackTrace(into);
      expect(into.stack).toBeUndefined();
      expect(descriptor()).toEqual(limit);
      expect(creationStack(Lazy.stringValue({ produce: () => 'z' }))).toEqual([]);
    } finally {
      resume();
    }
    expect(captureDescriptor()).toEqual(capture);
    const into: { stack?: string } = {};
    Error.captureStackTrace(into);
    expect(into.stack).toMatch(/\n\s+at /);
  });

  test('restored when the construct throws, and the error has a stack down to the caller', () => {
    const original = captureDescriptor();
    const { stack } = awsStack();
    const error = governanceError(() => new AwsAccount(stack, 'Sa', { ...awsProps, owner: undefined as any }));
    expect(captureDescriptor()).toEqual(original);
    expect((error as unknown as Error).stack).toMatch(/^GovernanceError: 1 governance violation in stack\/Sa:[\s\S]*\n\s+at [\s\S]*governed-service-account\.ts[\s\S]*creation-stack\.test\.ts/);
  });

  test('an error thrown while suspended has its stack (V8 records it), and resuming with it hands it back', () => {
    const resume = suspendCreationStacks();
    let error: Error;
    try {
      error = new Error('inside');
    } finally {
      resume();
    }
    expect(error.stack).toMatch(/^Error: inside\n\s+at /);
    const inner = suspendCreationStacks();
    inner(); // nothing suspended twice: resuming again is harmless
    expect(resume(error)).toBe(error);
  });

  test('nested suspensions: the inner one does nothing, the outer one resumes', () => {
    const original = captureDescriptor();
    const outer = suspendCreationStacks();
    const inner = suspendCreationStacks();
    const token = Lazy.stringValue({ produce: () => 'z' });
    inner();
    expect(creationStack(token)).toEqual([]);
    expect(captureDescriptor()).not.toEqual(original);
    outer();
    expect(captureDescriptor()).toEqual(original);
    expect(creationStack(Lazy.stringValue({ produce: () => 'w' })).length).toBeGreaterThan(0);
  });

  test('the Google target suspends them too, and the output is unchanged by it', () => {
    const original = captureDescriptor();
    const app = Testing.app({ context: { 'nhi:today': TODAY } });
    const stack = new TerraformStack(app, 'g');
    new GoogleProvider(stack, 'google', { project: 'acme-prod' });
    const sa = new GoogleAccount(stack, 'Sa', { ...GOVERNANCE, accountId: 'reporting', project: 'acme-prod', scope: [{ role: 'roles/storage.objectViewer', bucket: 'exports' }] });
    expect(captureDescriptor()).toEqual(original);
    expect(Object.keys(synth(stack).resource).length).toBeGreaterThan(0);
    expect(sa.node.findAll().length).toBeGreaterThan(1);
  });

  test('an unresolvable token made by the user still names where it was made', () => {
    const { stack } = awsStack();
    new AwsAccount(stack, 'Sa', awsProps);
    new IamRole(stack, 'Mine', { name: 'mine', assumeRolePolicy: Lazy.stringValue({ produce: () => { throw new Error('boom'); } }) });
    expect(() => synth(stack as TerraformStack)).toThrow(/boom/);
  });
});
