import type { AnswerChunk } from './chat';
import type { SpeechStates } from './speechState';

/** Sent when the server cut a spoken question from the microphone (hub method VoiceQuestion). */
export interface VoiceQuestionEvent {
  readonly sessionId: string;
  readonly questionId: string;
  /** Media time (seconds since the session started) at which the speech began. */
  readonly mediaTime: number;
  readonly durationSeconds: number;
  /** "silence", "maxLength" or "endOfStream". */
  readonly end: string;
  /** Why it was not asked; null when it was. */
  readonly error: string | null;
}

/** One chunk of the answer to a spoken question (hub method VoiceAnswer). */
export interface VoiceAnswerChunk extends AnswerChunk {
  readonly sessionId: string;
  readonly questionId: string;
  readonly error: string | null;
}

/** Shows spoken questions and their streamed answers in the chat's message list. */
export class VoiceMessages {
  private readonly answers = new Map<string, { item: HTMLLIElement; body: HTMLSpanElement; frames: HTMLSpanElement }>();

  constructor(private readonly messages: HTMLOListElement, private readonly speech: SpeechStates) {}

  question(event: VoiceQuestionEvent): void {
    const time = `${event.durationSeconds.toFixed(1)} s at ${event.mediaTime.toFixed(1)} s`;
    this.append('question voice', `🎤 spoken question (${time}${event.end === 'maxLength' ? ', cut at the length limit' : ''})`);
    if (event.error) {
      this.append('error', event.error);
      return;
    }
    const item = this.append('answer streaming', '');
    item.dataset.questionId = event.questionId;
    const body = item.appendChild(document.createElement('span'));
    const frames = item.appendChild(document.createElement('span'));
    frames.className = 'frames';
    this.answers.set(event.questionId, { item, body, frames });
  }

  chunk(chunk: VoiceAnswerChunk): void {
    const answer = this.answers.get(chunk.questionId);
    if (!answer) return;
    if (chunk.text) answer.body.textContent += chunk.text;
    if (chunk.frameTimes?.length) answer.frames.textContent = `frames at ${chunk.frameTimes.map(t => `${t.toFixed(1)} s`).join(', ')}`;
    if (chunk.done) {
      answer.item.classList.remove('streaming');
      this.answers.delete(chunk.questionId);
      if (chunk.metadata) {
        const meta = answer.item.appendChild(document.createElement('span'));
        meta.className = 'answer-meta';
        meta.textContent = `${chunk.metadata.tokens} tokens`;
        this.speech.show(meta, chunk.metadata);
      }
      if (chunk.error) this.append('error', chunk.error);
    }
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  private append(kind: string, text: string): HTMLLIElement {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = text;
    this.messages.append(item);
    this.messages.scrollTop = this.messages.scrollHeight;
    return item;
  }
}
