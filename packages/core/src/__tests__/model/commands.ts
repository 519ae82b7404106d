// The commands of the model-based test: what an app, a user, a network and a browser do to two
// tabs. Each prints itself, so a shrunk counterexample reads as a script to replay by hand.
import fc from "fast-check";
import type { IdentifyInput } from "../../index";
import { checkStep } from "./invariants";
import { USERS, identityOf } from "./world";
import type { ReentrantKind, UserName, World } from "./world";

/** The model lives in the World (the app's intents); fast-check's model object is unused. */
export type Model = Record<string, never>;
type Step = fc.AsyncCommand<Model, World>;

const ignore = () => undefined;

/** Base: every command runs, lets the effects it started run as far as the network allows, checks. */
abstract class WorldCommand implements Step {
  check(): boolean {
    return true;
  }
  async run(_model: Model, world: World): Promise<void> {
    world.startStep();
    const appTab = (this as { tab?: number }).tab;
    if (this.actsInApp && appTab !== undefined) await world.beforeAppActs(tabOf(world, appTab));
    await this.act(world);
    await world.flush();
    checkStep(world);
  }
  /** Whether the command is the app in a tab calling the client (not the network or browser). */
  protected actsInApp = true;
  protected abstract act(world: World): void | Promise<void>;
  abstract toString(): string;
}

const tabOf = (world: World, index: number) => world.tabs[index]!;

function describeUser(input: IdentifyInput | null | undefined): string {
  if (input === undefined) return "undefined";
  if (input === null) return "null";
  const metadata = input.userMetadata as { plan: string; apiKey?: string };
  return `${input.userId}/${metadata.plan}${metadata.apiKey ? "+secrets" : ""}`;
}

class Identify extends WorldCommand {
  constructor(
    readonly tab: number,
    readonly input: IdentifyInput,
  ) {
    super();
  }
  act(world: World) {
    world.appIdentify(tabOf(world, this.tab), this.input).catch(ignore);
  }
  toString() {
    return `tab${this.tab}.identify(${describeUser(this.input)})`;
  }
}

class SyncAuth extends WorldCommand {
  constructor(
    readonly tab: number,
    readonly user: IdentifyInput | null | undefined,
  ) {
    super();
  }
  act(world: World) {
    world.appSyncAuth(tabOf(world, this.tab), this.user).catch(ignore);
  }
  toString() {
    return `tab${this.tab}.syncAuth(${describeUser(this.user)})`;
  }
}

class ResetUser extends WorldCommand {
  constructor(readonly tab: number) {
    super();
  }
  act(world: World) {
    world.appReset(tabOf(world, this.tab));
  }
  toString() {
    return `tab${this.tab}.resetUser()`;
  }
}

class UpdateMetadata extends WorldCommand {
  constructor(
    readonly tab: number,
    readonly plan: string,
  ) {
    super();
  }
  act(world: World) {
    const tab = tabOf(world, this.tab);
    try {
      world.appUpdateMetadata(tab, { plan: this.plan }).catch(ignore);
    } catch {
      // NOT_IDENTIFIED while anonymous: refused synchronously, nothing sent.
    }
  }
  toString() {
    return `tab${this.tab}.updateMetadata({ plan: "${this.plan}" })`;
  }
}

class CreateConversation extends WorldCommand {
  constructor(readonly tab: number) {
    super();
  }
  act(world: World) {
    const tab = tabOf(world, this.tab);
    world.creates.calls++;
    world
      .track(`tab ${this.tab} conversations.create()`, tab.client.conversations.create())
      .then((conversation) => {
        world.creates.ok++;
        tab.conversations.push(conversation.id);
      })
      .catch(ignore);
  }
  toString() {
    return `tab${this.tab}.conversations.create()`;
  }
}

class SendMessage extends WorldCommand {
  constructor(readonly tab: number) {
    super();
  }
  act(world: World) {
    const tab = tabOf(world, this.tab);
    const message = {
      tab: this.tab,
      text: `message ${world.messages.length + 1}`,
      outcome: "pending" as "pending" | "ok" | "failed",
    };
    world.messages.push(message);
    // The chat's last conversation, or (as a widget does for the first message) a new one.
    const known = tab.conversations.at(-1);
    let conversation: Promise<string>;
    if (known !== undefined) conversation = Promise.resolve(known);
    else {
      world.creates.calls++;
      conversation = world
        .track(`tab ${this.tab} conversations.create()`, tab.client.conversations.create())
        .then(({ id }) => {
          world.creates.ok++;
          tab.conversations.push(id);
          return id;
        });
    }
    conversation
      .then((id) =>
        world.track(
          `tab ${this.tab} conversations.send()`,
          tab.client.conversations.send(id, message.text),
        ),
      )
      .then(
        () => void (message.outcome = "ok"),
        () => void (message.outcome = "failed"),
      );
  }
  toString() {
    return `tab${this.tab}.conversations.send("message n") into its last conversation (or a new one)`;
  }
}

class ListConversations extends WorldCommand {
  constructor(readonly tab: number) {
    super();
  }
  act(world: World) {
    world
      .track(
        `tab ${this.tab} conversations.list()`,
        tabOf(world, this.tab).client.conversations.list() as Promise<unknown>,
      )
      .catch(ignore);
  }
  toString() {
    return `tab${this.tab}.conversations.list()`;
  }
}

class Network extends WorldCommand {
  protected override actsInApp = false;
  constructor(readonly online: boolean) {
    super();
  }
  act(world: World) {
    world.setOnline(this.online);
  }
  toString() {
    return this.online ? "network online" : "network offline";
  }
}

type FaultKind = "503" | "429" | "timeout" | "junk 200";
class Fault extends WorldCommand {
  protected override actsInApp = false;
  constructor(
    readonly kind: FaultKind,
    readonly count: number,
    readonly retryAfter: number,
  ) {
    super();
  }
  act(world: World) {
    if (this.kind === "timeout") world.hangNext += this.count;
    else if (this.kind === "junk 200") world.junkNext += this.count;
    else if (this.kind === "503") world.backend.injectFault({ status: 503, count: this.count });
    else world.backend.injectFault({ status: 429, count: this.count, retryAfter: this.retryAfter });
  }
  toString() {
    return this.kind === "429"
      ? `next ${this.count} request(s) answer 429 (Retry-After: ${this.retryAfter})`
      : this.kind === "503"
        ? `next ${this.count} request(s) answer 503`
        : this.kind === "junk 200"
          ? `next ${this.count} request(s) answer 200 with a body that is not the contract's`
          : `next ${this.count} request(s) time out`;
  }
}

/** Releases held requests, responses and cross-tab messages, in the scheduler's order. */
class Deliver extends WorldCommand {
  protected override actsInApp = false;
  constructor(readonly count: number) {
    super();
  }
  act(world: World) {
    return world.deliver(this.count);
  }
  toString() {
    return `deliver ${this.count} held task(s)`;
  }
}

class TimePasses extends WorldCommand {
  protected override actsInApp = false;
  constructor(readonly ms: number) {
    super();
  }
  act(world: World) {
    return world.advance(this.ms);
  }
  toString() {
    return `${this.ms} ms pass`;
  }
}

class ArmReentrant extends WorldCommand {
  protected override actsInApp = false;
  constructor(
    readonly tab: number,
    readonly kind: ReentrantKind,
  ) {
    super();
  }
  act(world: World) {
    tabOf(world, this.tab).reentrant.add(this.kind);
  }
  toString() {
    return `tab${this.tab} installs a re-entrant handler: ${this.kind}`;
  }
}

class Reload extends WorldCommand {
  protected override actsInApp = false;
  constructor(readonly tab: number) {
    super();
  }
  act(world: World) {
    world.reloadTab(this.tab);
  }
  toString() {
    return `tab${this.tab} reloads`;
  }
}

const tab = fc.constantFrom(0, 1);
const user = fc.constantFrom<UserName>(...USERS);
const identity = fc
  .tuple(user, fc.constantFrom("free", "pro"), fc.boolean())
  .map(([name, plan, secrets]) => identityOf(name, plan, secrets));

/** Every command the model may run; application calls weigh more than the weather. */
export const commandArbitraries: Array<fc.Arbitrary<Step>> = [
  fc.tuple(tab, identity).map(([t, input]) => new Identify(t, input)),
  fc.tuple(tab, identity).map(([t, input]) => new Identify(t, input)),
  fc
    .tuple(tab, fc.oneof(identity, fc.constant(null), fc.constant(undefined)))
    .map(([t, input]) => new SyncAuth(t, input)),
  tab.map((t) => new ResetUser(t)),
  fc
    .tuple(tab, fc.constantFrom("free", "pro", "enterprise"))
    .map(([t, plan]) => new UpdateMetadata(t, plan)),
  tab.map((t) => new CreateConversation(t)),
  tab.map((t) => new SendMessage(t)),
  tab.map((t) => new ListConversations(t)),
  fc.boolean().map((online) => new Network(online)),
  fc
    .tuple(
      fc.constantFrom<FaultKind>("503", "429", "timeout", "junk 200"),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(1, 3600),
    )
    .map(([kind, count, retryAfter]) => new Fault(kind, count, retryAfter)),
  fc.integer({ min: 1, max: 4 }).map((count) => new Deliver(count)),
  fc.integer({ min: 1, max: 4 }).map((count) => new Deliver(count)),
  fc.constantFrom(100, 2_500, 61_000).map((ms) => new TimePasses(ms)),
  fc
    .tuple(
      tab,
      fc.constantFrom<ReentrantKind>(
        "reset-handler-resets",
        "update-handler-resets-cy",
        "listener-resets-cy",
        "update-handler-identifies-guest",
      ),
    )
    .map(([t, kind]) => new ArmReentrant(t, kind)),
  tab.map((t) => new Reload(t)),
];
