// The rotation function moved to lib/rotation-handler (shared by the aws-cdk and cdktf-aws
// targets); this path stays for imports of the handler's test seams.
export * from '../../rotation-handler';
