import { Token as CdkToken } from 'aws-cdk-lib/core';
import { Token } from 'cdktf';
import { NhiRisk, renderGiven, violation, Violation } from '../../lib/core/violation';

describe('violation / renderGiven: how a given value is shown', () => {
  test('strings are quoted, other values are JSON, undefined is absent', () => {
    expect(renderGiven('x')).toBe('"x"');
    expect(renderGiven(42)).toBe('42');
    expect(renderGiven(null)).toBe('null');
    expect(renderGiven({ a: [1] })).toBe('{"a":[1]}');
    expect(renderGiven(undefined)).toBeUndefined();
    expect(renderGiven(() => 1)).toMatch(/=>/);
    expect(renderGiven(10n)).toBe('10');
    const cyclic: any = {};
    cyclic.self = cyclic;
    expect(renderGiven(cyclic)).toBe('[object Object]');
  });

  test("a number token (cdktf's, the AWS CDK's) is said to be one, not shown as its encoding", () => {
    for (const n of [Token.asNumber('${var.rate}'), CdkToken.asNumber({ resolve: () => 1 })]) {
      expect(renderGiven(n)).toMatch(/^\(a number token: known only at deploy/);
    }
    expect(renderGiven(1e21)).toBe('1e+21');
    expect(renderGiven(-Number.MAX_VALUE)).toMatch(/number token/);
    expect(renderGiven(Infinity)).toBe('null');
  });

  test('violation omits given when nothing was given and copies the risks', () => {
    const risks = [NhiRisk.NHI5];
    const v: Violation = violation('NHI_X', 'f', 'm', 'fix', undefined, risks);
    expect(v).toEqual({ code: 'NHI_X', field: 'f', message: 'm', fix: 'fix', risks: ['NHI5'] });
    expect('given' in v).toBe(false);
    risks.push(NhiRisk.NHI1);
    expect(v.risks).toEqual(['NHI5']);
  });
});
