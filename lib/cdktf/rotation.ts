import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Fn, Op, TerraformProvider, TerraformStack, Token } from 'cdktf';
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

  /**
   * @param days the rotation period
   * @param offsetFrom another schedule this one starts `offsetDays` after (its base timestamp is
   *   set once, at creation: later rotations of the other schedule do not move it)
   */
  public constructor(scope: Construct, id: string, days: number, offsetFrom?: RotationSchedule, offsetDays?: number) {
    super(scope, id);
    ensureTimeProvider(this);
    this.rotating = offsetFrom
      ? new Rotating(this, 'Period', {
        rotationDays: days,
        rfc3339: Fn.timeadd(offsetFrom.rotating.rfc3339, `${(offsetDays ?? 0) * 24}h`),
        lifecycle: { ignoreChanges: ['rfc3339'] },
      })
      : new Rotating(this, 'Period', { rotationDays: days });
    const trigger = new TerraformData(this, 'Trigger', this.rotating.id);
    this.triggerAddress = trigger.address;
  }
}

/**
 * Two credentials that overlap: two key slots, each replaced every `2 x days` (through its own
 * {@link RotationSchedule}), the second offset by `days` from the first. Every `days` one slot
 * gets a new key while the other slot's key (handed out one period earlier) stays valid for one
 * more period: consumers holding the previous key have `days` days to re-read the secret.
 *
 * Slot B's first period starts `days` after slot A's, so its first key lives `3 x days`; from
 * then on every key lives `2 x days`. Rotation happens at the first `terraform apply` after a
 * slot's period: with applies at least every `days`, exactly one slot rotates per apply.
 */
export class OverlappingRotation extends Construct {
  /** Slot A (replaced every `2 x days` from the first apply) and slot B (offset by `days`). */
  public readonly slots: RotationSchedule[];

  public constructor(scope: Construct, id: string, days: number) {
    super(scope, id);
    const a = new RotationSchedule(this, 'SlotA', 2 * days);
    const b = new RotationSchedule(this, 'SlotB', 2 * days, a, days);
    this.slots = [a, b];
  }

  /**
   * A Terraform expression: `valueA` when slot A's key is the newer one (its period started
   * later), else `valueB`. The secret consumers read holds the newer key.
   */
  public newest(valueA: string, valueB: string): string {
    const [a, b] = this.slots;
    // timecmp is 1 when A is later (cdktf renders a literal 0 operand as 'undefined', so compare with 1).
    return Token.asString(Fn.conditional(Op.eq(Fn.timecmp(a.rotating.rfc3339, b.rotating.rfc3339), 1), valueA, valueB));
  }
}

const TIME_PROVIDER = Symbol.for('nhi-constructs.cdktf.time-provider');

/**
 * Adds a default `time` provider to the stack unless a default (un-aliased) one is declared;
 * the rotation resources use the default provider, and it takes no settings.
 */
export function ensureTimeProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  // Once per stack: a walk of the whole tree per rotation schedule was quadratic in the keys.
  if ((stack as any)[TIME_PROVIDER]) return;
  const has = stack.node.findAll().some((c) => c instanceof TerraformProvider
    && (c as TerraformProvider).terraformResourceType === 'time' && !(c as TerraformProvider).alias);
  if (!has) new TimeProvider(stack, 'nhi-time');
  Object.defineProperty(stack, TIME_PROVIDER, { value: true, enumerable: false });
}
