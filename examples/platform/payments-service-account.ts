// A platform team's blessed construct built on nhi-constructs: the payments team's service
// accounts always have the team's owner and on-call contact, a shorter lifetime and the tags
// the organisation requires. Application teams declare only what varies.
import { Construct } from 'constructs';
import { AwsScopeGrant } from '../../lib/core';
import { GovernedServiceAccount } from '../../lib/cdktf-aws';
import { GovernancePolicy } from '../../lib/core';

/** Props of a payments service account: the purpose, expiry, scope and workload. */
export interface PaymentsServiceAccountProps {
  readonly purpose: string;
  readonly expires: string;
  readonly name: string;
  readonly lambdaFunctionScope: AwsScopeGrant[];
  /** The PCI data class of what it touches. */
  readonly dataClass: 'pci' | 'internal';
}

export class PaymentsServiceAccount extends Construct {
  public readonly account: GovernedServiceAccount;

  constructor(scope: Construct, id: string, props: PaymentsServiceAccountProps) {
    super(scope, id);
    // The platform's rules for everything below this construct (closest scope wins).
    GovernancePolicy.of(this).apply({ maxLifetimeDays: 90, allowedOwnerDomains: ['payments.example.com'] });
    this.account = new GovernedServiceAccount(this, 'Account', {
      owner: { team: 'payments', contact: 'payments-oncall@payments.example.com' },
      purpose: props.purpose,
      expires: props.expires,
      name: `payments-${props.name}`,
      assumedBy: { service: 'lambda.amazonaws.com' },
      scope: props.lambdaFunctionScope,
      tags: { 'data-class': props.dataClass, 'cost-center': 'cc-payments' },
      alarms: { cloudTrailLogGroupName: 'org-cloudtrail', runbookUrl: 'https://wiki.example.com/payments/nhi' },
    });
  }
}
