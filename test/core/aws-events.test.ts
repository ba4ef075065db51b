import * as fc from 'fast-check';
import { cloudTrailAlarmPattern, fitsOneRule, MAX_EVENT_PATTERN_LENGTH, POLICY_CHANGE_EVENTS } from '../../lib/core/aws-events';

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
