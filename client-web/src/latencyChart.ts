const palette = ['#2563eb', '#db2777', '#16a34a', '#ea580c', '#7c3aed', '#0891b2', '#ca8a04'];

/**
 * A small line chart of per-stage latency over the last `capacity` samples, drawn on a canvas
 * with a legend beside it. A stage missing from a sample leaves a gap rather than a zero.
 */
export class LatencyChart {
  private readonly series = new Map<string, (number | null)[]>();
  private samples = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly legend: HTMLElement,
    private readonly capacity = 60,
  ) {}

  push(latencies: Map<string, number>): void {
    for (const stage of latencies.keys()) {
      if (!this.series.has(stage)) this.series.set(stage, new Array<number | null>(this.samples).fill(null));
    }
    for (const [stage, values] of this.series) {
      values.push(latencies.get(stage) ?? null);
      if (values.length > this.capacity) values.shift();
    }
    this.samples = Math.min(this.samples + 1, this.capacity);
    this.draw();
  }

  clear(): void {
    this.series.clear();
    this.samples = 0;
    this.draw();
  }

  private draw(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);

    const all = [...this.series.values()].flat().filter((v): v is number => v !== null);
    const max = niceCeiling(Math.max(1, ...all));
    const left = 56;
    const bottom = height - 16;
    const top = 8;

    g.strokeStyle = '#e5e7eb';
    g.fillStyle = '#6b7280';
    g.font = '11px system-ui, sans-serif';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const fraction of [0, 0.5, 1]) {
      const y = bottom - fraction * (bottom - top);
      g.beginPath();
      g.moveTo(left, y);
      g.lineTo(width, y);
      g.stroke();
      g.fillText(`${formatMs(max * fraction)}`, left - 6, y);
    }

    const step = (width - left) / Math.max(1, this.capacity - 1);
    let index = 0;
    this.legend.replaceChildren();
    for (const [stage, values] of this.series) {
      const color = palette[index++ % palette.length] ?? '#000';
      g.strokeStyle = color;
      g.lineWidth = 1.5;
      g.beginPath();
      let drawing = false;
      const offset = this.capacity - values.length;
      values.forEach((value, i) => {
        if (value === null) {
          drawing = false;
          return;
        }
        const x = left + (offset + i) * step;
        const y = bottom - (value / max) * (bottom - top);
        if (drawing) g.lineTo(x, y);
        else g.moveTo(x, y);
        drawing = true;
      });
      g.stroke();

      const last = [...values].reverse().find(v => v !== null);
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = color;
      item.append(swatch, `${stage} ${last == null ? '—' : formatMs(last)}`);
      this.legend.append(item);
    }
  }
}

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 5, 10]) if (m * magnitude >= value) return m * magnitude;
  return 10 * magnitude;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}
