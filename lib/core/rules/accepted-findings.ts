/** What a finding of the artifact check adds for the identity it names, once a waiver accepts it. */
export interface AcceptedFindingEffect {
  /** It widens what the identity can do or who can use it. */
  readonly widens?: true;
  /** It gives privileged permissions (impersonation, keys, IAM). */
  readonly privileged?: true;
  /** Access no longer stops at the identity's expiry. */
  readonly expiryExtended?: true;
}

/**
 * The codes of the artifact check (`checkArtifact`) whose findings name a governed identity (the
 * only ones a register lists as accepted for one), with what each adds for it. `nhi diff` judges
 * an accepted finding by this table; a test requires an entry for every such code of the check,
 * so a new code cannot reach registers unjudged.
 *
 * - NHI_SCOPE_WIDENED: the artifact grants the identity more than its declared scope: a widening
 *   of access (critical and privileged where the finding names a privileged or credential-exposing
 *   AWS action, which its message always does, or a privileged Google role, as a scope widening
 *   would be);
 * - NHI_SCOPE_PRIVILEGED: a Google custom role defined in the stack gives the identity privileged
 *   permissions without a justification;
 * - NHI_SCOPE_FORBIDDEN, NHI_SCOPE_PROJECT_WIDE: such a role holds what the governance policy
 *   forbids, or data access on a whole project: a widening of access;
 * - NHI_TRUST_CHANGED: it lets someone the declaration does not name use the identity: a widening
 *   of trust;
 * - NHI_CREDENTIAL_UNDECLARED: it hands out a credential the declaration does not include, never
 *   rotated: like a static credential introduced;
 * - NHI_SCOPE_UNVERIFIABLE: what it grants or trusts cannot be read at synth time, so nothing
 *   bounds it: judged as a widening, the reviewer cannot see that it is not one;
 * - NHI_EXPIRY_CONDITION_MISSING: access that does not stop at the identity's expiry: its expiry
 *   no longer bounds that access, as if extended without a limit (not a widening of what it can do).
 *
 * (NHI_SECRET_EXPOSED, the check's other code, is about an output, not an identity.)
 */
export const ACCEPTED_FINDING_EFFECTS: ReadonlyMap<string, AcceptedFindingEffect> = new Map<string, AcceptedFindingEffect>([
  ['NHI_SCOPE_WIDENED', { widens: true }],
  ['NHI_SCOPE_PRIVILEGED', { widens: true, privileged: true }],
  ['NHI_SCOPE_FORBIDDEN', { widens: true }],
  ['NHI_SCOPE_PROJECT_WIDE', { widens: true }],
  ['NHI_TRUST_CHANGED', { widens: true }],
  ['NHI_CREDENTIAL_UNDECLARED', { widens: true }],
  ['NHI_SCOPE_UNVERIFIABLE', { widens: true }],
  ['NHI_EXPIRY_CONDITION_MISSING', { expiryExtended: true }],
]);
