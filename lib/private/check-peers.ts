// Runs first when the package root is imported: it loads every target, so it needs every peer.
import { requirePeers } from '../core/private/peers';

requirePeers('nhi-constructs (the package root)',
  ['constructs', 'cdktf', '@cdktf/provider-aws', '@cdktf/provider-google', '@cdktf/provider-time', 'aws-cdk-lib'],
  'The root loads every target (it is the entry point for jsii languages); in JavaScript and TypeScript import only your target, e.g. nhi-constructs/lib/cdktf-aws');
