/**
 * Plays the server's spoken answers: the audio track the server sends back on the WHIP peer
 * connection, in the page's `<audio id="answer-audio">`, with a speaker toggle that mutes it.
 */
export class AnswerAudio {
  private blocked = false;

  constructor(
    private readonly element: HTMLAudioElement,
    private readonly toggle: HTMLButtonElement,
  ) {
    toggle.addEventListener('click', () => {
      if (this.blocked) {
        // The browser refused to play before the person interacted with the page; this click is that interaction.
        this.start();
        return;
      }
      element.muted = !element.muted;
      this.render();
    });
    this.render();
  }

  /** Plays `stream` (the publication's received audio), or stops playing with null. */
  play(stream: MediaStream | null): void {
    this.element.srcObject = stream;
    this.blocked = false;
    if (stream) this.start();
    this.render();
  }

  private start(): void {
    this.element.play().then(
      () => {
        this.blocked = false;
        this.render();
      },
      () => {
        this.blocked = true;
        this.render();
      },
    );
  }

  private render(): void {
    const playing = this.element.srcObject !== null;
    this.toggle.disabled = !playing;
    this.toggle.setAttribute('aria-pressed', String(playing && !this.element.muted && !this.blocked));
    this.toggle.textContent = this.blocked ? '🔈 Play answers' : this.element.muted ? '🔇 Speaker off' : '🔊 Speaker on';
    this.toggle.title = playing ? 'Spoken answers from the server' : 'Publish to hear spoken answers';
  }
}
