// The seed's Vue Composition API pattern: the host app's own Pinia user store.
import type { IdentifyInput } from "@nametag/core";
import { DEMO_USERS } from "@nametag/mock";
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

// The demo users in the host app's own shape (Jane keeps her sensitive authToken; Omar has none).
const { jane, omar } = DEMO_USERS;
export const janeUser: AppUser = {
  id: jane.userId,
  name: jane.userMetadata.name,
  email: jane.userMetadata.email,
  plan: jane.userMetadata.plan,
  authToken: jane.userMetadata.authToken,
};
export const omarUser: AppUser = {
  id: omar.userId,
  name: omar.userMetadata.name,
  email: omar.userMetadata.email,
  plan: omar.userMetadata.plan,
};
