// Jira's error body, `ErrorCollection`: `{errorMessages: [...], errors: {field: message}}`.
import type { SimResponse } from './seam';

export function jiraError(
  status: number,
  messages: string[],
  errors: Record<string, string> = {},
): SimResponse {
  return { status, body: { errorMessages: messages, errors } };
}

export const notFound = (message: string): SimResponse => jiraError(404, [message]);
export const badRequest = (message: string): SimResponse => jiraError(400, [message]);
export const forbidden = (message = 'You do not have permission to perform this operation.'): SimResponse =>
  jiraError(403, [message]);

export const issueNotFound = (): SimResponse =>
  notFound('Issue does not exist or you do not have permission to see it.');
export const projectNotFound = (idOrKey: string): SimResponse =>
  notFound(`No project could be found with key '${idOrKey}'.`);

export function json(body: unknown, status = 200): SimResponse {
  return { status, body };
}
