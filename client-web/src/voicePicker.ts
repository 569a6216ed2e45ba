import { ChatClient } from './chat';
import type { SpeechInfo } from './speech';

/**
 * The voice of the followed session's spoken answers: lists the voices of GET /api/speech and
 * calls the hub's SetSpeaker when the person picks one. Disabled while speech is unavailable,
 * with the server's reason beside it.
 */
export class VoicePicker {
  private client: ChatClient | null = null;
  private sessionId: string | null = null;
  private info: SpeechInfo | null = null;

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly status: HTMLElement,
    private readonly report: (message: string) => void,
  ) {
    select.addEventListener('change', () => void this.choose(select.value));
    this.update();
  }

  /** Shows the server's speech status and voices; the default voice is selected. */
  show(info: SpeechInfo): void {
    this.info = info;
    this.select.replaceChildren(...info.speakers.map(name => new Option(name, name, false, name === info.defaultSpeaker)));
    this.status.textContent = info.status === 'ready' ? '' : `speech ${info.status}`;
    this.status.dataset.status = info.status;
    this.update();
  }

  /** Points the picker at a session; its voice starts as the default. */
  attach(client: ChatClient | null, sessionId: string | null): void {
    this.client = client;
    this.sessionId = sessionId;
    delete this.select.dataset.speaker;
    if (this.info?.defaultSpeaker) this.select.value = this.info.defaultSpeaker;
    this.update();
  }

  private async choose(name: string): Promise<void> {
    if (!this.client || !this.sessionId || !name) return;
    this.select.disabled = true;
    try {
      const chosen = await this.client.setSpeaker(this.sessionId, name);
      this.select.dataset.speaker = chosen;
    } catch (error) {
      this.report(`Could not choose the voice: ${ChatClient.describe(error)}`);
      this.select.value = this.select.dataset.speaker ?? this.info?.defaultSpeaker ?? '';
    } finally {
      this.update();
    }
  }

  private update(): void {
    this.select.disabled = this.client === null || this.sessionId === null || (this.info?.speakers.length ?? 0) === 0;
  }
}
