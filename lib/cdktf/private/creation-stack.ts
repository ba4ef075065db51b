/**
 * Suspends cdktf's creation stacks while a governed construct builds its own resources, and
 * returns the function that resumes them (call it in a `finally`).
 *
 * cdktf records a full stack trace, formatted to text, for every token it creates: every
 * attribute reference, every `Lazy` value, and the empty nested-block lists each resource
 * constructor creates (`aws_iam_role` creates one for `inline_policy`). With source maps on (ts-node,
 * tsx) each of them maps every frame; it is the largest part of what a resource costs to construct.
 * The only use of a creation stack is the message of a token that later fails to resolve, and the
 * tokens a governed construct makes for itself always resolve (the construct's own tests synthesise
 * every one); a stack would point into this library, not at the user's code. Tokens made by user
 * code, before or after, keep their stacks.
 *
 * cdktf formats the trace as soon as it captures it, through `Error.prepareStackTrace`: an empty
 * trace gives an empty creation stack. Errors created meanwhile keep their full stack, which V8
 * formats on first read, after this is resumed. Nesting is safe (each resume restores what it saw).
 */
export function suspendCreationStacks(): () => void {
  const previous = Object.getOwnPropertyDescriptor(Error, 'prepareStackTrace');
  if (previous?.value === noTrace) return resumeNothing;
  Error.prepareStackTrace = noTrace;
  return () => {
    if (previous) Object.defineProperty(Error, 'prepareStackTrace', previous);
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  };
}

function noTrace(): string {
  return '';
}

function resumeNothing(): void {}
