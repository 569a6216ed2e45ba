import { ChatClient, type AnswerChunk, type AnswerMetadata, type AnswerStream } from './chat';
import type { SpeechStates } from './speechState';

/**
 * The chat panel: sends the question, appends the answer's chunks as they stream in, and
 * offers Interrupt while an answer is running or its speech still plays.
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
    private readonly target: HTMLElement,
    private readonly speech: SpeechStates,
  ) {
    speech.onChange(() => this.update());
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
    this.target.textContent = sessionId ?? '—';
    this.update();
  }

  /** The server's question length limit (Chat:MaxQuestionChars): the box takes no more. */
  setMaxQuestionChars(limit: number): void {
    this.question.maxLength = limit;
    this.question.dataset.maxChars = String(limit);
  }

  /** Shows an error in the conversation, where the person is looking. */
  showError(text: string): void {
    this.append('error', text);
  }

  private async send(): Promise<void> {
    const text = this.question.value.trim();
    if (!text || !this.client || !this.sessionId || this.running) return;
    this.question.value = '';
    this.append('question', text);
    const answer = this.append('answer streaming', '');
    answer.dataset.state = 'streaming';
    const body = answer.appendChild(document.createElement('span'));
    body.className = 'answer-text';
    const frames = answer.appendChild(document.createElement('span'));
    frames.className = 'frames';
    const meta = answer.appendChild(document.createElement('span'));
    meta.className = 'answer-meta';
    let finished = false;
    const finish = (): void => {
      finished = true;
      answer.classList.remove('streaming');
      answer.dataset.state = 'done';
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
          if (chunk.frameTimes?.length) {
            frames.textContent = `frames at ${chunk.frameTimes.map(t => `${t.toFixed(1)} s`).join(', ')}`;
            frames.dataset.frameTimes = chunk.frameTimes.join(' ');
          }
          if (chunk.metadata) {
            ChatPanel.describeEnd(answer, meta, chunk.metadata);
            this.speech.show(meta, chunk.metadata);
          }
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

  /** How the answer ended, and a plain warning when random weights wrote it. */
  private static describeEnd(answer: HTMLLIElement, meta: HTMLSpanElement, metadata: AnswerMetadata): void {
    const finish: Record<string, string> = { stop: 'finished', length: `stopped at the ${metadata.maxTokens}-token limit`, interrupted: 'interrupted' };
    answer.dataset.finish = metadata.finishReason;
    meta.classList.toggle('random', metadata.randomModel);
    meta.textContent = [
      finish[metadata.finishReason] ?? metadata.finishReason,
      `${metadata.tokens} tokens`,
      `first token ${metadata.firstTokenMs.toFixed(0)} ms`,
      metadata.randomModel ? `random model (no checkpoint configured): the answer is meaningless` : metadata.model,
    ].join(' · ');
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
    item.dataset.kind = kind.split(' ')[0];
    item.textContent = text;
    this.messages.append(item);
    this.messages.scrollTop = this.messages.scrollHeight;
    return item;
  }

  private update(): void {
    const ready = this.client !== null && this.sessionId !== null;
    this.question.disabled = !ready;
    this.ask.disabled = !ready || this.running !== null;
    this.interrupt.disabled = this.running === null && !this.speech.speaking;
    this.form.setAttribute('aria-busy', String(this.running !== null));
  }
}
