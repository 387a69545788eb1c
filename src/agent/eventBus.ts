// A small typed event bus inside the agent (modelled on Rancher Desktop's main/mainEvents.ts). The tray and
// other UIs subscribe to it and never import services.
import { EventEmitter } from 'node:events';

export class TypedBus<Events extends { [K in keyof Events]: unknown }> {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Many windows may listen; a leak warning at 10 would be noise, not signal.
    this.emitter.setMaxListeners(50);
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.emitter.emit(event, payload);
  }

  removeAll(): void {
    this.emitter.removeAllListeners();
  }
}
