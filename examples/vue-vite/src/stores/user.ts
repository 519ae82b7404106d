import type { IdentifyInput } from "@nametag/core";
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { demoUsers } from "../demoUsers";
import type { DemoUser } from "../demoUsers";

// The fake session survives reloads and is shared by tabs, like a real auth cookie would be.
// Only the user id is stored: the profile (and Jane's token) stays in memory.
const SESSION_KEY = "nametag-demo:session";

function readSession(): DemoUser | null {
  try {
    const id = localStorage.getItem(SESSION_KEY);
    return Object.values(demoUsers).find((user) => user.id === id) ?? null;
  } catch {
    return null;
  }
}

function writeSession(user: DemoUser | null): void {
  try {
    if (user) localStorage.setItem(SESSION_KEY, user.id);
    else localStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage can be blocked (private mode); the login then lasts until the page reloads.
  }
}

/** The host app's own auth store (the seed's Vue pattern). Nametag only follows it. */
export const useUserStore = defineStore("user", () => {
  const user = ref<DemoUser | null>(readSession());
  const isLoggedIn = computed(() => user.value !== null);

  // Another tab signed in or out: follow it, like a real session cookie would. (Nametag's own
  // identity already follows through core's cross-tab sync; this keeps the header in step.)
  if (typeof window !== "undefined") {
    window.addEventListener("storage", (event) => {
      if (event.key === SESSION_KEY || event.key === null) user.value = readSession();
    });
  }

  /** What Nametag gets: the signed-in user, or null when signed out. */
  const nametagUser = computed<IdentifyInput | null>(() =>
    user.value ? { userId: user.value.id, userMetadata: user.value.metadata } : null,
  );

  function login(next: DemoUser): void {
    user.value = next;
    writeSession(next);
  }

  function logout(): void {
    user.value = null;
    writeSession(null);
  }

  return { user, isLoggedIn, nametagUser, login, logout };
});
