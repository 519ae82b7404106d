import { describe, expect, it } from "vitest";
import { createNametag } from "../createNametag";
import { createFormResource, createOwnedResource } from "../resource";
import { API_URL, JANE, OMAR, deferred, until } from "./setup";

function setup() {
  const client = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
  const loads: Array<{ owner: string | null; answer: ReturnType<typeof deferred<string>> }> = [];
  const resource = createOwnedResource(client, {
    owner: (identity) => identity.userId ?? "visitor",
    load: () => {
      const answer = deferred<string>();
      loads.push({ owner: client.getIdentity().userId, answer });
      return answer.promise;
    },
    empty: "",
  });
  return { client, resource, loads };
}

describe("createOwnedResource", () => {
  it("loads nothing until subscribed (a server render never subscribes)", () => {
    const { resource, loads } = setup();
    expect(resource.getSnapshot()).toEqual({ data: "", loading: true, error: undefined });
    expect(loads).toHaveLength(0);
  });

  it("empties the moment the owner changes, and a late answer for the old owner is dropped", async () => {
    const { client, resource, loads } = setup();
    const seen: string[] = [];
    resource.subscribe(() => seen.push(resource.getSnapshot().data));
    loads[0]!.answer.resolve("visitor's");
    await Promise.resolve();
    await Promise.resolve();
    expect(resource.getSnapshot()).toMatchObject({ data: "visitor's", loading: false });
    const identified = client.identify(JANE);
    // Synchronously: the snapshot already belongs to Jane (empty, loading).
    expect(resource.getSnapshot()).toEqual({ data: "", loading: true, error: undefined });
    client.resetUser();
    await identified;
    // Jane's load answers after the logout: dropped.
    loads[1]!.answer.resolve("jane's");
    loads[2]!.answer.resolve("new visitor's");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(loads.map((load) => load.owner)).toEqual([null, "user_jane", null]);
    expect(resource.getSnapshot()).toMatchObject({ data: "new visitor's", loading: false });
    expect(seen).not.toContain("jane's");
  });

  it("newest wins: an older refresh answering last does not overwrite a newer one", async () => {
    const { resource, loads } = setup();
    resource.subscribe(() => undefined);
    const second = resource.refresh();
    loads[1]!.answer.resolve("new");
    await second;
    loads[0]!.answer.resolve("old");
    await loads[0]!.answer.promise;
    await Promise.resolve();
    expect(resource.getSnapshot()).toMatchObject({ data: "new", loading: false });
  });

  it("StrictMode's subscribe → unsubscribe → subscribe loads once; an owner change while unsubscribed loads again", async () => {
    const { client, resource, loads } = setup();
    resource.subscribe(() => undefined)();
    const stop = resource.subscribe(() => undefined);
    expect(loads).toHaveLength(1);
    stop();
    await client.identify(OMAR);
    resource.subscribe(() => undefined);
    expect(loads.map((load) => load.owner)).toEqual([null, "user_omar"]);
  });
});

describe("createFormResource", () => {
  it("prefills for the current user and empties on a user or metadata change, not on a status change", async () => {
    const client = createNametag({ apiUrl: API_URL, persistence: "memory", retry: false });
    client.forms.register("contact", () => ({ fields: [{ name: "email" }, { name: "plan" }] }));
    const resource = createFormResource(client, () => ["contact"]);
    const plans: unknown[] = [];
    resource.subscribe(() => {
      const { data, loading } = resource.getSnapshot();
      if (!loading) plans.push(data?.fields.find((field) => field.name === "plan")?.defaultValue);
    });
    const settled = () => until(() => !resource.getSnapshot().loading, "the prefill");
    await settled();
    const identified = client.identify(JANE);
    // Jane is identifying: already Jane's form, empty until it resolves for her.
    expect(resource.getSnapshot()).toEqual({ data: undefined, loading: true, error: undefined });
    await identified; // identifying → identified: the same user and metadata, no new prefill
    await settled();
    await client.updateMetadata({ plan: "pro" });
    await settled();
    expect(plans).toEqual([undefined, JANE.userMetadata.plan, "pro"]);
    client.destroy();
  });
});
