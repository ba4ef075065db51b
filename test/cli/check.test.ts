import { checkSynth, parseWithin, renderCheckText } from '../../lib/cli/check';
import { LoadedSynth } from '../../lib/cli/load';
import { identity, TODAY } from './fixtures';

function synth(identities: any[], waivers: any[] = []): LoadedSynth {
  return { dir: 'cdktf.out', registers: [{ file: 'f', stack: 'app', version: 1, identities, waivers }], identities, waivers };
}

describe('nhi check', () => {
  test('--within accepts 30d, 2w and 30', () => {
    expect([parseWithin('30d'), parseWithin('2w'), parseWithin('30'), parseWithin('soon'), parseWithin('-3d')]).toEqual([30, 14, 30, undefined, undefined]);
  });

  test('expired, expiring, rotation above policy, never rotated, waivers; most urgent first', () => {
    const s = synth([
      identity({ path: 'app/Fine' }),
      identity({ path: 'app/Soon', expires: '2026-12-10' }),
      identity({ path: 'app/Gone', expires: '2026-11-01' }),
      identity({ path: 'app/Today', expires: TODAY }),
      identity({ path: 'app/Slow', credentials: 'access-key', rotation: { days: 120 } }),
      identity({ path: 'app/Never', credentials: 'api-key', rotation: null }),
    ], [
      { code: 'NHI_SCOPE_PRIVILEGED', path: 'app/Fine', owner: { team: 'sec', contact: 's@example.com' }, reason: 'r', expires: '2026-12-01', stack: 'app' },
      { code: 'NHI_UNGOVERNED_IDENTITY', resourceType: 'aws_iam_user', reason: 'r', expires: '2026-10-01', stack: 'app' },
    ]);
    const findings = checkSynth(s, { today: TODAY, withinDays: 30 });
    expect(findings.map((f) => [f.kind, f.path])).toEqual([
      ['expired', 'app/Gone'],
      ['expired', 'app/Today'],
      ['waiver-expired', 'aws_iam_user'],
      ['not-rotated', 'app/Never'],
      ['rotation-too-long', 'app/Slow'],
      ['expiring', 'app/Soon'],
      ['waiver-expiring', 'app/Fine'],
    ]);
    expect(findings[0].message).toBe('expired on 2026-11-01 (22 days ago): the cloud no longer honours it; extend its expiry or remove it');
    expect(findings.find((f) => f.kind === 'expiring')!.message).toBe('expires on 2026-12-10, in 17 days: extend it (with a reason) or plan its removal');
    expect(checkSynth(s, { today: TODAY, withinDays: 10, maxRotationDays: 180 }).map((f) => f.kind)).not.toContain('rotation-too-long');
    expect(renderCheckText(findings, s, { today: TODAY })).toContain('nhi check: 7 findings in 6 identities as of 2026-11-23');
  });

  test('no findings', () => {
    const s = synth([identity()]);
    expect(checkSynth(s, { today: TODAY })).toEqual([]);
    expect(renderCheckText([], s, { today: TODAY })).toBe('nhi check: 1 identity checked as of 2026-11-23: nothing expires within 30 days, rotation within policy.\n');
  });
});
