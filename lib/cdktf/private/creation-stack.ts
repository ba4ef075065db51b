/**
 * Suspends cdktf's creation stacks while a governed construct builds its own resources, and
 * returns the function that resumes them. Use it as
 * `const resume = suspendCreationStacks(); try { ... } catch (e) { throw resume(e); } finally { resume(); }`.
 *
 * cdktf records a full stack trace (every frame: it lifts `Error.stackTraceLimit` to the maximum),
 * formatted to text, for every token it creates: every attribute reference, every `Lazy` value,
 * and the nested-block objects each resource constructor creates (`aws_iam_role` one for
 * `inline_policy`, `google_service_account` one for `timeouts`, a binding one for `condition`).
 * That capture is the largest part of what a resource costs to construct, several times more
 * with source maps on (ts-node, tsx), which map every frame. The only use of a creation stack is
 * the message of a token that later fails to resolve, and the tokens a governed construct makes for
 * itself always resolve (its own tests synthesise every one); a stack would point into this
 * library, not at the user's code. Tokens made by user code, before or after, keep their stacks.
 *
 * Meanwhile `Error.stackTraceLimit` reads as before but is not a number V8 can use, so no stack
 * is captured (cdktf's capture gives an empty creation stack), and setting it has no effect. An
 * error thrown meanwhile is given its stack when `resume(error)` is called with it, from the
 * construct's constructor down. Nesting is safe: an inner suspension does nothing.
 */
export function suspendCreationStacks(): (error?: unknown) => unknown {
  const limit = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  // Not a plain configurable number (already suspended, or changed by someone else): leave it.
  if (!limit || !limit.configurable || !('value' in limit)) return (error) => error;
  Object.defineProperty(Error, 'stackTraceLimit', {
    configurable: true,
    enumerable: limit.enumerable,
    get: () => limit.value,
    set: () => undefined,
  });
  let resumed = false;
  return (error?: unknown) => {
    if (!resumed) {
      resumed = true;
      Object.defineProperty(Error, 'stackTraceLimit', limit);
    }
    if (error instanceof Error && typeof error.stack !== 'string') Error.captureStackTrace(error);
    return error;
  };
}
