// The seed's Vue Composition API pattern: the host app's own Pinia user store.
import type { IdentifyInput } from "@nametag/core";
import { defineStore } from "pinia";

export interface AppUser {
  id: string;
  name: string;
  email: string;
  plan: string;
  company?: string;
  authToken?: string;
}

export const useUserStore = defineStore("user", {
  state: () => ({ user: null as AppUser | null }),
  getters: {
    isLoggedIn: (state) => state.user !== null,
    /** What the store hands to Nametag: null when signed out. */
    nametagUser: (state): IdentifyInput | null =>
      state.user && {
        userId: state.user.id,
        userMetadata: { name: state.user.name, email: state.user.email, plan: state.user.plan },
      },
  },
  actions: {
    login(user: AppUser) {
      this.user = user;
    },
    logout() {
      this.user = null;
    },
  },
});

export const janeUser: AppUser = {
  id: "user_jane",
  name: "Jane Smith",
  email: "jane@example.com",
  plan: "enterprise",
  authToken: "demo-jane-auth-token-7f3a",
};
export const omarUser: AppUser = {
  id: "user_omar",
  name: "Omar Haddad",
  email: "omar@example.com",
  plan: "pro",
};
