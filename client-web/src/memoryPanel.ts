import type { SessionEvent } from './chat';
import { formatBytes } from './dom';

/** The followed session's video memory per tier, from the hub's session events; hidden until a tier is reported. */
export class MemoryPanel {
  constructor(
    private readonly panel: HTMLElement,
    private readonly tiers: HTMLTableSectionElement,
    private readonly frames: HTMLElement,
    private readonly blocks: HTMLElement,
  ) {}

  show(event: SessionEvent): void {
    this.panel.hidden = event.tiers.length === 0;
    this.frames.textContent = String(event.framesInMemory);
    this.blocks.textContent = String(event.blocks);
    this.tiers.replaceChildren(
      ...event.tiers.map(tier => {
        const row = document.createElement('tr');
        row.dataset.tier = tier.name;
        row.dataset.bytes = String(tier.bytes);
        row.dataset.blocks = String(tier.blocks);
        for (const text of [tier.name, String(tier.blocks), formatBytes(tier.bytes), formatBytes(tier.maxBytes)]) {
          row.append(Object.assign(document.createElement('td'), { textContent: text }));
        }
        return row;
      }),
    );
  }

  clear(): void {
    this.panel.hidden = true;
    this.tiers.replaceChildren();
  }
}
