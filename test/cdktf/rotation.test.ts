import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { RotationSchedule } from '../../lib/cdktf';
import { awsStack, resources, synth } from '../helpers/cdktf';

describe('RotationSchedule (cdktf): time_rotating drives a replacement that fires', () => {
  test('time_rotating -> terraform_data(triggers_replace = id); the address is a plain string', () => {
    const { stack } = awsStack();
    const r = new RotationSchedule(stack, 'Rot', 45);
    const json = synth(stack);
    expect(resources(json, 'time_rotating')).toEqual([{ rotation_days: 45 }]);
    expect(json.resource.terraform_data).toEqual({
      [r.triggerAddress.split('.')[1]]: { triggers_replace: expect.stringMatching(/^\$\{time_rotating\.Rot_Period_[0-9A-F]+\.id\}$/) },
    });
    expect(r.triggerAddress).toMatch(/^terraform_data\.Rot_Trigger_[0-9A-F]+$/);
  });

  test('adds one default time provider when the stack declares none, and none when it does', () => {
    const a = awsStack();
    new RotationSchedule(a.stack, 'R1', 30);
    new RotationSchedule(a.stack, 'R2', 30);
    expect(synth(a.stack).provider.time).toHaveLength(1);
    const b = awsStack();
    new TimeProvider(b.stack, 'mytime');
    new RotationSchedule(b.stack, 'R1', 30);
    expect(synth(b.stack).provider.time).toEqual([{}]);
  });

  test('an aliased time provider is not the default: one is added', () => {
    const c = awsStack();
    new TimeProvider(c.stack, 'mytime', { alias: 'other' });
    new RotationSchedule(c.stack, 'R1', 30);
    expect(synth(c.stack).provider.time).toEqual([{ alias: 'other' }, {}]);
  });
});
