/** An HTTP error answered by the server, with the problem details' title and detail when present. */
export class ServerError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ServerError';
  }
}

/** Reads an RFC 9457 problem body (or plain text) into a ServerError. */
export async function toServerError(response: Response, what: string): Promise<ServerError> {
  const text = await response.text();
  let message = text.trim();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    message = [problem.title, problem.detail].filter(Boolean).join(': ');
  } catch {
    // Not JSON: keep the text as it came.
  }
  return new ServerError(response.status, `${what} failed (${response.status})${message ? ': ' + message : ''}`);
}
