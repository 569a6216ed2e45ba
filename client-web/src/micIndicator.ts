/**
 * The microphone indicator: the level of the published audio track from a WebAudio analyser,
 * and whether a track is being sent at all.
 */
export class MicIndicator {
  private context: AudioContext | null = null;
  private frame = 0;

  constructor(private readonly element: HTMLElement, private readonly level: HTMLElement) {
    this.show(null);
  }

  /** Follows the audio track of `stream` (none: shows the microphone as off). */
  follow(stream: MediaStream | null): void {
    this.stop();
    const track = stream?.getAudioTracks()[0];
    if (!stream || !track) {
      this.show(null);
      return;
    }
    this.context = new AudioContext();
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 1024;
    this.context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const tick = (): void => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      this.show(Math.sqrt(sum / samples.length));
      this.frame = requestAnimationFrame(tick);
    };
    tick();
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    void this.context?.close();
    this.context = null;
    this.show(null);
  }

  private show(rms: number | null): void {
    this.element.classList.toggle('off', rms === null);
    // About -60 dBFS at the left edge to full scale at the right.
    const db = rms === null || rms <= 0 ? -60 : Math.max(-60, 20 * Math.log10(rms));
    this.level.style.width = `${((db + 60) / 60) * 100}%`;
    this.element.title = rms === null ? 'microphone off' : `microphone ${db.toFixed(0)} dBFS`;
  }
}
