import * as fc from 'fast-check';
import { cloudTrailAlarmPattern, fitsOneRule, MAX_EVENT_PATTERN_LENGTH, POLICY_CHANGE_EVENTS, WatchChunks } from '../../lib/core/aws-events';

describe('cloudTrailAlarmPattern: EventBridge patterns on CloudTrail management events', () => {
  test('key-created: only for users, never for the rotation function\'s own keys', () => {
    expect(cloudTrailAlarmPattern('key-created', { roles: ['r'], users: [] })).toBeUndefined();
    const p = cloudTrailAlarmPattern('key-created', { roles: [], users: ['b', 'a', 'a'] }) as any;
    expect(p['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(p.detail.requestParameters).toEqual({ userName: ['a', 'b'] }); // sorted, deduplicated: deterministic synth
    expect(JSON.stringify(p.detail.$or)).toContain('"anything-but":{"prefix":"nhi-rotation-"}');
  });

  test('policy-changed: every IAM call that changes permissions, trust or groups, for roles and users', () => {
    const p = cloudTrailAlarmPattern('policy-changed', { roles: ['r'], users: ['u'] }) as any;
    expect(p.source).toEqual(['aws.iam']);
    expect(p.detail.eventName).toEqual(POLICY_CHANGE_EVENTS);
    expect(p.detail.$or).toEqual([{ requestParameters: { roleName: ['r'] } }, { requestParameters: { userName: ['u'] } }]);
    expect(cloudTrailAlarmPattern('policy-changed', { roles: [], users: [] })).toBeUndefined();
  });

  test('access-denied-event: any service, AccessDenied* or *UnauthorizedOperation, by the governed role or user', () => {
    const p = cloudTrailAlarmPattern('access-denied-event', { roles: ['r'], users: [] }) as any;
    expect(p.source).toBeUndefined();
    expect(p.detail).toEqual({
      errorCode: [{ prefix: 'AccessDenied' }, { suffix: 'UnauthorizedOperation' }],
      userIdentity: { type: ['AssumedRole'], sessionContext: { sessionIssuer: { userName: ['r'] } } },
    });
  });

  test('fitsOneRule: false once the pattern would exceed EventBridge\'s 2048 characters; one name always fits', () => {
    fc.assert(fc.property(fc.array(fc.stringMatching(/^[\w+=,.@-]{1,64}$/), { minLength: 1, maxLength: 120 }), (names) => {
      const who = { roles: names, users: [] };
      const size = JSON.stringify(cloudTrailAlarmPattern('policy-changed', who)).length;
      expect(fitsOneRule('policy-changed', who)).toBe(size <= MAX_EVENT_PATTERN_LENGTH);
      expect(fitsOneRule('policy-changed', { roles: [names[0]], users: [] })).toBe(true);
    }));
  });
});

describe('WatchChunks: identities split over as few rules as fit, in linear time', () => {
  // The split measuring every pattern again would give (the definition WatchChunks must keep).
  function naive(kind: 'key-created' | 'policy-changed' | 'access-denied-event', ids: { role?: string; user?: string }[]) {
    const chunks: { roles: string[]; users: string[] }[] = [];
    for (const id of ids) {
      const last = chunks[chunks.length - 1];
      const grown = last && { roles: id.role ? [...last.roles, id.role] : last.roles, users: id.user ? [...last.users, id.user] : last.users };
      if (last && fitsOneRule(kind, grown)) chunks[chunks.length - 1] = grown;
      else chunks.push({ roles: id.role ? [id.role] : [], users: id.user ? [id.user] : [] });
    }
    return chunks;
  }

  test('the same split as measuring every pattern, for roles, users, duplicates and long names', () => {
    const identity = fc.oneof(
      fc.record({ role: fc.stringMatching(/^[\w+=,.@-]{1,64}$/) }),
      fc.record({ user: fc.stringMatching(/^[\w+=,.@-]{1,64}$/) }),
      fc.constant({ role: 'svc-shared' }),
    );
    fc.assert(fc.property(fc.constantFrom('key-created' as const, 'policy-changed' as const, 'access-denied-event' as const),
      fc.array(identity, { minLength: 1, maxLength: 400 }), (kind, ids) => {
        const w = new WatchChunks(kind);
        const created = ids.map((id) => w.add(id).created);
        const expected = naive(kind, ids);
        expect(w.chunks).toEqual(expected);
        expect(created.filter(Boolean)).toHaveLength(expected.length);
        for (const c of w.chunks) expect(fitsOneRule(kind, c) || c.roles.length + c.users.length === 1).toBe(true);
      }), { numRuns: Number(process.env.FUZZ_RUNS ?? 100) });
  });
});
