import type { KeyStore, RotateOptions } from "./key-store.js";
import { newStoredKey, rotatedStoredKey } from "./new-stored-key.js";
import type { IssuedKey, NewVirtualKey, StoredKey, VirtualKey } from "./virtual-key.js";
import { publicKey, secretIsCurrent } from "./virtual-key.js";

/** Virtual keys in memory (tests, and a gateway whose request log is in memory). */
export class MemoryKeyStore implements KeyStore {
  private readonly keys = new Map<string, StoredKey>();

  async create(input: NewVirtualKey, now = Date.now()): Promise<IssuedKey> {
    const { stored, secret } = newStoredKey(input, now);
    this.keys.set(stored.id, stored);
    return { key: publicKey(stored), secret };
  }

  async list(): Promise<VirtualKey[]> {
    return [...this.keys.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(publicKey);
  }

  async get(id: string): Promise<VirtualKey | null> {
    const stored = this.keys.get(id);
    return stored ? publicKey(stored) : null;
  }

  async findBySecretHash(hash: string, now = Date.now()): Promise<VirtualKey | null> {
    for (const stored of this.keys.values()) {
      if (stored.revokedAt === null && secretIsCurrent(stored, hash, now)) return publicKey(stored);
    }
    return null;
  }

  async revoke(id: string, now = Date.now()): Promise<VirtualKey | null> {
    const stored = this.keys.get(id);
    if (!stored) return null;
    stored.revokedAt ??= now;
    return publicKey(stored);
  }

  async rotate(id: string, options: RotateOptions = {}): Promise<IssuedKey | null> {
    const stored = this.keys.get(id);
    if (!stored || stored.revokedAt !== null) return null;
    const rotated = rotatedStoredKey(stored, options.now ?? Date.now(), options.graceMs ?? 0);
    this.keys.set(id, rotated.stored);
    return { key: publicKey(rotated.stored), secret: rotated.secret };
  }

  async count(): Promise<{ active: number; total: number }> {
    return { active: [...this.keys.values()].filter((k) => k.revokedAt === null).length, total: this.keys.size };
  }

  async close(): Promise<void> {}
}
