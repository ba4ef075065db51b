import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { TerraformData } from './private/terraform-data';

/**
 * A secret's rotation schedule for cdktf targets (AWS and Google alike).
 *
 * `time_rotating` alone cannot drive a replacement: when its period has passed the time provider
 * removes it from state on refresh, so Terraform plans a *create*, and `replace_triggered_by`
 * ignores creates (hashicorp/terraform-provider-time#118). The rotation therefore goes through a
 * `terraform_data` whose `triggers_replace` is the `time_rotating` id: a new id forces the
 * `terraform_data` to be *replaced*, and a secret with
 * `lifecycle { replace_triggered_by = [terraform_data.x], create_before_destroy = true }` is
 * replaced with it, the new secret created before the old one is destroyed.
 *
 * Rotation happens on the first `terraform apply` after the period: run a scheduled apply.
 */
export class RotationSchedule extends Construct {
  /** The `time_rotating` resource. */
  public readonly rotating: Rotating;
  /** Address to put in a secret's `lifecycle.replace_triggered_by`. */
  public readonly triggerAddress: string;

  public constructor(scope: Construct, id: string, days: number) {
    super(scope, id);
    ensureTimeProvider(this);
    this.rotating = new Rotating(this, 'Period', { rotationDays: days });
    const trigger = new TerraformData(this, 'Trigger', this.rotating.id);
    this.triggerAddress = trigger.address;
  }
}

/**
 * Adds a default `time` provider to the stack unless a default (un-aliased) one is declared;
 * the rotation resources use the default provider, and it takes no settings.
 */
export function ensureTimeProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  const has = stack.node.findAll().some((c) => c instanceof TerraformProvider
    && (c as TerraformProvider).terraformResourceType === 'time' && !(c as TerraformProvider).alias);
  if (!has) new TimeProvider(stack, 'nhi-time');
}
