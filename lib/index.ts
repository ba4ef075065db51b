// Root entry point: every target as a jsii namespace. Node users should prefer the deep
// entry points (nhi-constructs/lib/cdktf-aws, ...), which load only their own provider.
import './private/check-peers';
export * as core from './core';
export * as cdktf from './cdktf';
export * as cdktf_aws from './cdktf-aws';
export * as aws_cdk from './aws-cdk';
export * as cdktf_google from './cdktf-google';
