import { ChatClient, type AnswerChunk, type AnswerStream } from './chat';

/**
 * The chat panel: sends the question, appends the answer's chunks as they stream in, and
 * offers Interrupt while an answer is running.
 */
export class ChatPanel {
  private client: ChatClient | null = null;
  private sessionId: string | null = null;
  private running: AnswerStream | null = null;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly question: HTMLInputElement,
    private readonly ask: HTMLButtonElement,
    private readonly interrupt: HTMLButtonElement,
    private readonly messages: HTMLOListElement,
  ) {
    form.addEventListener('submit', event => {
      event.preventDefault();
      void this.send();
    });
    interrupt.addEventListener('click', () => void this.stopAnswer());
    this.update();
  }

  /** Points the panel at a published session (or at none). */
  attach(client: ChatClient | null, sessionId: string | null): void {
    this.running?.cancel();
    this.running = null;
    this.client = client;
    this.sessionId = sessionId;
    this.update();
  }

  private async send(): Promise<void> {
    const text = this.question.value.trim();
    if (!text || !this.client || !this.sessionId || this.running) return;
    this.question.value = '';
    this.append('question', text);
    const answer = this.append('answer streaming', '');
    const body = answer.appendChild(document.createElement('span'));
    const frames = answer.appendChild(document.createElement('span'));
    frames.className = 'frames';
    let finished = false;
    const finish = (): void => {
      finished = true;
      answer.classList.remove('streaming');
      this.running = null;
      this.update();
    };
    // Holds the panel busy while the hub connects, so a second click cannot ask twice.
    this.running = { cancel: () => {} };
    this.update();
    try {
      const stream = await this.client.ask(this.sessionId, text, {
        chunk: (chunk: AnswerChunk) => {
          if (chunk.text) body.textContent += chunk.text;
          if (chunk.frameTimes?.length) frames.textContent = `frames at ${chunk.frameTimes.map(t => `${t.toFixed(1)} s`).join(', ')}`;
          this.messages.scrollTop = this.messages.scrollHeight;
          if (chunk.done) finish();
        },
        complete: finish,
        error: error => {
          finish();
          this.append('error', error.message);
        },
      });
      if (finished) stream.cancel();
      else this.running = stream;
    } catch (error) {
      finish();
      this.append('error', `Could not ask: ${ChatClient.describe(error)}`);
    }
    this.update();
  }

  private async stopAnswer(): Promise<void> {
    if (!this.client || !this.sessionId) return;
    this.interrupt.disabled = true;
    try {
      await this.client.interrupt(this.sessionId);
    } catch (error) {
      this.append('error', `Could not interrupt: ${ChatClient.describe(error)}`);
    }
  }

  private append(kind: string, text: string): HTMLLIElement {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = text;
    this.messages.append(item);
    this.messages.scrollTop = this.messages.scrollHeight;
    return item;
  }

  private update(): void {
    const ready = this.client !== null && this.sessionId !== null;
    this.question.disabled = !ready;
    this.ask.disabled = !ready || this.running !== null;
    this.interrupt.disabled = this.running === null;
    this.form.setAttribute('aria-busy', String(this.running !== null));
  }
}
