// The target-free governance core: the contract, the rules' vocabulary and the organisation
// policy. Rule functions live in ./rules and are used by the target modules.
import './private/check-peers';
export * from './contract';
export * from './governance-error';
export * from './policy';
export * from './register';
export * from './violation';
export * from './governance';
export * from './rules/aws-trust';
export * from './rules/api-key';
export * from './tags';
export * from './waivers';
export * from './rules/lifecycle';
export * from './rules/unique-names';
