import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { EchoService } from './echo.service';

/** How many of the last messages the page lists. */
const SHOWN = 10;

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Echo</h1>
    <p>State: <strong id="state" [attr.data-state]="echo.state()">{{ echo.state() }}</strong></p>
    <form (submit)="send($event)">
      <input id="text" #box [value]="text()" (input)="text.set(box.value)" aria-label="Message" />
      <button id="send" type="submit" [disabled]="!canSend()">Send</button>
      <button id="close" type="button" (click)="echo.close()" [disabled]="ended()">Close</button>
    </form>
    <p id="outcome">{{ outcome() }}</p>
    <ol id="messages">
      @for (message of lastMessages(); track $index) {
        <li>{{ message }}</li>
      } @empty {
        <li class="empty">No messages yet</li>
      }
    </ol>
  `,
  styles: `
    :host { display: block; font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; }
    #state[data-state='open'] { color: #16794c; }
    #state[data-state='reconnecting'] { color: #b45309; }
    .empty { color: #6b7280; list-style: none; }
  `,
})
export class App {
  protected readonly echo = inject(EchoService);
  protected readonly text = signal('Hello');
  /** What became of the last send: sent at once, or queued until the socket (re)opens. */
  protected readonly outcome = signal('');
  protected readonly ended = computed(() => this.echo.state() === 'closing' || this.echo.state() === 'closed');
  protected readonly canSend = computed(() => !this.ended() && this.text() !== '');
  protected readonly lastMessages = computed(() => this.echo.messages().slice(-SHOWN));

  protected send(event: Event): void {
    event.preventDefault();
    const text = this.text();
    this.outcome.set(this.echo.send(text) ? `sent: ${text}` : `queued until the socket opens: ${text}`);
  }
}
