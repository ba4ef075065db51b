// cdktf Google Cloud target: governed identities built on @cdktf/provider-google (deep imports only).
// The stack register and rotation schedule shared with cdktf-aws are in ../cdktf.
import './private/check-peers';
export * from './alarm-options';
export * from './governed-api-key';
export * from './governed-service-account';
