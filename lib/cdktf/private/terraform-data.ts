import { Fn, TerraformResource } from 'cdktf';
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

/**
 * A random id generated once per deployment and kept in the Terraform state: a `terraform_data`
 * whose `input` is Terraform's `uuid()` (random, from a cryptographic source) with
 * `lifecycle { ignore_changes = [input] }`, so the first value stays; `output` holds it. Nothing in
 * the code or the synthesised JSON determines the value.
 */
export class GeneratedId extends TerraformResource {
  public constructor(scope: Construct, id: string) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      lifecycle: { ignoreChanges: ['input'] },
    });
  }

  /** The generated id (a token for `terraform_data.x.output`). */
  public get value(): string {
    return this.getStringAttribute('output');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return { input: Fn.uuid() };
  }
}
