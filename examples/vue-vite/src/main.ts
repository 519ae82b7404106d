import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { nametag } from "./nametag";
import "./style.css";

createApp(App).use(createPinia()).use(nametag).mount("#app");
