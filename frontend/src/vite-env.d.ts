/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The sidecar's base URL in a browser (inside Tauri the shell says where it is). */
  readonly VITE_API_URL?: string;
}
