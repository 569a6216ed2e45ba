import { toServerError } from './problem';

/** A session as GET /api/sessions lists it (the fields this panel shows). */
export interface SessionSummary {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
}

export async function fetchSessions(token: string): Promise<SessionSummary[]> {
  const response = await fetch('/api/sessions', { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw await toServerError(response, 'Listing sessions');
  return (await response.json()) as SessionSummary[];
}

/**
 * The token's sessions with a Follow button each, and a form to follow a session by id (a
 * camera added over the API, a session published from another tab). The server decides what a
 * token may see; the panel shows its answer, including its refusals.
 */
export class SessionsPanel {
  constructor(
    private readonly list: HTMLUListElement,
    private readonly empty: HTMLElement,
    form: HTMLFormElement,
    private readonly id: HTMLInputElement,
    refresh: HTMLButtonElement,
    private readonly token: () => string | null,
    private readonly follow: (sessionId: string) => void,
    private readonly report: (message: string) => void,
  ) {
    form.addEventListener('submit', event => {
      event.preventDefault();
      const sessionId = this.id.value.trim();
      if (sessionId) this.follow(sessionId);
    });
    refresh.addEventListener('click', () => void this.refresh());
  }

  async refresh(): Promise<void> {
    const token = this.token();
    if (!token) return;
    try {
      this.show(await fetchSessions(token));
    } catch (error) {
      this.report(error instanceof Error ? error.message : String(error));
    }
  }

  private show(sessions: readonly SessionSummary[]): void {
    this.empty.hidden = sessions.length > 0;
    this.list.replaceChildren(
      ...sessions.map(session => {
        const item = document.createElement('li');
        item.dataset.sessionId = session.id;
        const id = Object.assign(document.createElement('code'), { textContent: session.id });
        const kind = Object.assign(document.createElement('span'), { textContent: `${session.kind} · ${session.state}` });
        const follow = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Follow' });
        follow.addEventListener('click', () => this.follow(session.id));
        item.append(id, kind, follow);
        return item;
      }),
    );
  }
}
