/** Stands in for `Error.captureStackTrace` while creation stacks are suspended: records nothing. */
const skipCapture = function captureStackTrace(): void {};

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
 * Meanwhile `Error.captureStackTrace` (which cdktf and constructs call to record a stack) records
 * nothing, so their creation stacks are empty; errors still get their stacks as usual (V8 records
 * those itself). It is one assignment each way: `Error.stackTraceLimit` and everything else stay
 * as they are. Nesting is safe: an inner suspension does nothing.
 */
export function suspendCreationStacks(): (error?: unknown) => unknown {
  const capture = Error.captureStackTrace;
  // Already suspended (an outer governed construct): leave it to the outer one.
  if (capture === skipCapture) return (error) => error;
  Error.captureStackTrace = skipCapture;
  let resumed = false;
  return (error?: unknown) => {
    if (!resumed) {
      resumed = true;
      Error.captureStackTrace = capture;
    }
    return error;
  };
}
