// cdktf AWS target: governed identities built on @cdktf/provider-aws (deep imports only).
// The stack register and rotation schedule shared with cdktf-google are in ../cdktf.
import './private/check-peers';
export * from './alarm-options';
export * from './governed-api-key';
export * from './governed-service-account';
