/**
 * A secret kept across restarts, such as a refresh token the vendor rotated. The store's secret file
 * (store/secret-file.ts: DATA_DIR, mode 0600, atomic writes) is one; tests may pass a memory twin.
 */
export interface PersistedSecret {
  /** The saved secret, or null when none is saved (or it descends from another configured secret). */
  load(): Promise<string | null>;
  save(secret: string): Promise<void>;
}

/**
 * Opens the persisted secret `name` that descends from the configured secret `descendsFrom` (e.g. the env refresh
 * token): a secret saved while another one was configured is not loaded, so a new value in the env wins.
 */
export type OpenPersistedSecret = (name: string, descendsFrom: string) => PersistedSecret;
