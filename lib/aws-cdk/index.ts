// AWS CDK target: governed identities built on aws-cdk-lib (deep module imports only, never the
// aws-cdk-lib root and never cdktf). The rotation function (../rotation-handler) is Lambda code,
// not API: it is deliberately not exported here.
import './private/check-peers';
export * from './alarm-options';
export * from './governance-checks';
export * from './governed-api-key';
export * from './governed-service-account';
export * from './register';
