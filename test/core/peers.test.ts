import { requirePeers } from '../../lib/core/private/peers';

describe('requirePeers (every target entry point runs it first)', () => {
  test('passes when every peer resolves', () => {
    expect(() => requirePeers('nhi-constructs/lib/cdktf-aws', ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-time'])).not.toThrow();
  });

  test('names the entry point, every missing peer, and the install command with the declared ranges', () => {
    let error: Error | undefined;
    try {
      requirePeers('nhi-constructs/lib/aws-cdk', ['constructs', 'nhi-no-such-package-a', 'nhi-no-such-package-b']);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('NhiMissingPeerError');
    expect(error?.message).toBe('nhi-constructs/lib/aws-cdk needs the peer dependencies nhi-no-such-package-a, nhi-no-such-package-b, which are not installed. '
      + 'Install them in your app: npm install nhi-no-such-package-a nhi-no-such-package-b');
  });
});
