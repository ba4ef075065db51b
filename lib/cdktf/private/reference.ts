import { IResolvable, IResolveContext, TerraformResource, TerraformStack, Token } from 'cdktf';

/**
 * A reference to a resource's attribute, `${<type>.<id>.<attribute>}`, for the references every
 * governed identity makes (its policy to its role, its binding to its account).
 *
 * It synthesises exactly what `resource.getStringAttribute(attribute)` does, without its cost:
 * cdktf captures a full stack trace for each attribute reference it creates (about as much time
 * as the rest of an identity's references and a few KB of memory), and fixes the resource's
 * logical id when the reference is made. This one captures nothing and reads the logical id when
 * it is resolved (so `overrideLogicalId` afterwards is honoured). A reference resolved in another
 * stack, or to a resource with `forEach`, is handed to cdktf's own reference (cross-stack outputs).
 */
class AttributeReference implements IResolvable {
  public readonly creationStack: string[] = [];
  private delegate?: IResolvable;

  public constructor(private readonly resource: TerraformResource, private readonly attribute: string) {}

  public resolve(context: IResolveContext): string {
    if (this.delegate || this.resource.forEach || TerraformStack.of(context.scope) !== this.resource.cdktfStack) {
      this.delegate ??= this.resource.interpolationForAttribute(this.attribute);
      return this.delegate.resolve(context);
    }
    const identifier = `${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}.${this.attribute}`;
    // As cdktf's references do: a reference inside an expression is bare, elsewhere `${...}`.
    const suppressBraces = context.suppressBraces;
    context.suppressBraces = true;
    return suppressBraces ? identifier : `\${${identifier}}`;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** `${<type>.<id>.<attribute>}` of `resource`, as a string token (see {@link AttributeReference}). */
export function attributeReference(resource: TerraformResource, attribute: string): string {
  return Token.asString(new AttributeReference(resource, attribute));
}
