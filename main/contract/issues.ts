/**
 * Which validation messages people may read. The contract's own checks (addresses, shortcuts) write messages for
 * people; valibot's generated ones ("Invalid type: Expected string but received 42") are for logs. Every generated
 * message has that one shape (valibot `_addIssue`: `Invalid ${label}: …eceived …`), so it is recognised by it.
 */
import type * as v from 'valibot';

const GENERATED = /^Invalid [^:]*: (?:Expected [\s\S]* but r|R)eceived /;

/** The first message written for people among `issues`, or null when there is none. */
export function messageForPeople(issues: readonly v.BaseIssue<unknown>[]): string | null {
  for (const issue of issues) {
    if (issue.message && !GENERATED.test(issue.message)) return issue.message;
    const nested = issue.issues ? messageForPeople(issue.issues) : null;
    if (nested) return nested;
  }
  return null;
}
