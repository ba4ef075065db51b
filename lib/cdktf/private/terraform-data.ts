import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * Terraform's built-in `terraform_data` resource. cdktf's own `DataResource` runs
 * `terraform version` on every validated synth (failing where no terraform binary exists),
 * so this minimal class is used instead; it needs no provider block.
 */
export class TerraformData extends TerraformResource {
  private readonly triggersReplace: unknown;

  public constructor(scope: Construct, id: string, triggersReplace: unknown) {
    super(scope, id, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });
    this.triggersReplace = triggersReplace;
  }

  /**
   * The resource address for `lifecycle.replace_triggered_by`. A plain string on purpose:
   * cdktf renders a resource object there as `${terraform_data.x}`, which Terraform rejects.
   */
  public get address(): string {
    return `${this.terraformResourceType}.${this.friendlyUniqueId}`;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { triggers_replace: this.triggersReplace };
  }
}
