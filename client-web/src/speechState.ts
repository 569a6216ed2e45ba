import type { AnswerMetadata } from './chat';
import type { SpeechEndedEvent } from './speech';

/** How an answer's speech is shown: data-speech is one of these. */
export type SpeechState = 'speaking' | 'spoken' | 'interrupted' | 'failed' | 'text-only' | 'left';

/** Ends that came before their answer's last chunk, kept this long for it. */
const earlyEndLimit = 16;

/**
 * The speech line under each answer. An answer's last chunk says "speaking" while its audio
 * still plays; the hub's SpeechEnded, matched by speechId, says how it ended. The speech may end
 * before the last chunk arrives (a short answer), so an early end waits for its answer.
 */
export class SpeechStates {
  private readonly pending = new Map<number, HTMLElement>();
  private readonly early = new Map<number, SpeechEndedEvent>();
  private readonly listeners: (() => void)[] = [];

  /** True while an answer shown here may still be speaking: Interrupt then has something to stop. */
  get speaking(): boolean {
    return this.pending.size > 0;
  }

  /** Called whenever `speaking` may have changed. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Adds the speech line to an answer's meta line from its last chunk's metadata; nothing for a server that does not speak. */
  show(meta: HTMLElement, metadata: AnswerMetadata): void {
    if (!metadata.speech) return;
    const line = document.createElement('span');
    line.className = 'answer-speech';
    meta.append(' · ', line);
    SpeechStates.render(line, metadata.speech, metadata.speaker ?? null, metadata.audioSeconds ?? 0);
    const id = metadata.speechId;
    if (id === null || id === undefined) return;
    const end = this.early.get(id);
    if (end) {
      this.early.delete(id);
      SpeechStates.render(line, end.speech, end.speaker, end.audioSeconds);
      return;
    }
    this.pending.set(id, line);
    this.changed();
  }

  ended(event: SpeechEndedEvent): void {
    const line = this.pending.get(event.speechId);
    if (!line) {
      // Its answer's last chunk is still on its way (or the answer was asked elsewhere).
      this.early.set(event.speechId, event);
      for (const old of this.early.keys()) if (this.early.size > earlyEndLimit) this.early.delete(old);
      return;
    }
    this.pending.delete(event.speechId);
    SpeechStates.render(line, event.speech, event.speaker, event.audioSeconds);
    this.changed();
  }

  /** The chat follows another session: the speech still pending here will not be reported. */
  leave(): void {
    for (const line of this.pending.values()) {
      line.dataset.speech = 'left';
      line.textContent = 'speech: no longer followed';
    }
    this.pending.clear();
    this.early.clear();
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private static render(line: HTMLElement, speech: string, speaker: string | null, audioSeconds: number): void {
    const state = SpeechStates.state(speech);
    line.dataset.speech = state;
    line.title = speech;
    const voice = speaker ? ` (${speaker})` : '';
    const seconds = `${audioSeconds.toFixed(1)} s`;
    line.textContent = {
      speaking: `speaking${voice}…`,
      spoken: `spoken${voice}, ${seconds}${speech.length > 'spoken'.length ? speech.slice('spoken'.length) : ''}`,
      interrupted: `speech interrupted${voice} after ${seconds}`,
      failed: `speech ${speech}`,
      'text-only': `text only: ${speech}`,
      left: 'speech: no longer followed',
    }[state];
  }

  private static state(speech: string): SpeechState {
    if (speech === 'speaking') return 'speaking';
    if (speech.startsWith('spoken')) return 'spoken';
    if (speech === 'interrupted') return 'interrupted';
    if (speech.startsWith('failed')) return 'failed';
    // "unavailable: …", "off (…)", "no audio track": the answer was never spoken.
    return 'text-only';
  }
}
