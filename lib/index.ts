// Root entry point: every target as a jsii namespace. Node users should prefer the deep
// entry points (nhi-constructs/lib/cdktf-aws, ...), which load only their own provider.
export * as core from './core';
