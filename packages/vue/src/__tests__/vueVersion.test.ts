import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { describe, expect, it } from "vitest";
import { computed, createApp, createSSRApp, defineComponent, h, version } from "vue";
import { renderToString } from "vue/server-renderer";
import { createNametag, useIdentity } from "../index";
import { createTestClient } from "./mockBackend";
import { janeUser, useUserStore } from "./userStore";

const Status = defineComponent({
  setup() {
    const identity = useIdentity();
    return () => h("p", `${identity.value.status} on Vue ${version}`);
  },
});

/** The versions of every copy of Vue's runtime packages loaded so far (Vue's CJS builds). */
function loadedVueVersions(): string[] {
  const packages =
    /^(.*\/node_modules\/(?:vue|@vue\/(?:runtime-[a-z]+|reactivity|server-renderer|shared)))\//;
  const dirs = Object.keys(createRequire(import.meta.url).cache)
    .map((file) => packages.exec(file)?.[1])
    .filter((dir) => dir !== undefined);
  const versions = dirs.map(
    (dir) =>
      (JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { version: string }).version,
  );
  return [...new Set(versions)];
}

describe("the Vue under test", () => {
  it("is the minor this run is for (3.5 in place, 3.3 in test-vue33), and the only Vue loaded", async () => {
    const expected = process.env.EXPECTED_VUE_MINOR;
    expect(expected).toMatch(/^3\.[35]$/);
    expect(version.split(".").slice(0, 2).join(".")).toBe(expected);
    // app.onUnmount arrived in 3.5: on 3.3 the plugin's app.unmount fallback runs for real.
    expect(typeof createApp({}).onUnmount).toBe(expected === "3.3" ? "undefined" : "function");

    const wrapper = mount(Status, {
      global: { plugins: [createNametag({ client: createTestClient() })] },
    });
    expect(wrapper.text()).toBe(`anonymous on Vue ${version}`);
    wrapper.unmount();
    const app = createSSRApp(Status).use(createNametag({ client: createTestClient() }));
    expect(await renderToString(app)).toBe(`<p>anonymous on Vue ${version}</p>`);
    // Pinia's reactivity is this Vue's: a computed of ours sees the store change.
    const store = useUserStore(createPinia());
    const name = computed(() => store.user?.name);
    expect(name.value).toBeUndefined();
    store.login({ ...janeUser });
    expect(name.value).toBe("Jane Smith");
    // Vue 3.3+ shares the current instance between copies, so a Test Utils or server renderer
    // linked to another Vue would still pass the above: the copies loaded tell.
    expect(loadedVueVersions()).toEqual([version]);
  });
});
