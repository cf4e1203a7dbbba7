import { randomBytes } from "node:crypto";
import argon2 from "argon2";
import { ConcurrencyLimit } from "./concurrency-limit";

export interface PasswordHasherOptions {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
  pepper?: string;
  concurrency: number;
}

/**
 * argon2id hashing with bounded concurrency. `verifyOrDummy` spends the same
 * work whether or not the account exists, so login timing reveals nothing.
 */
export class PasswordHasher {
  private readonly limit: ConcurrencyLimit;
  private readonly pepper?: Buffer;
  private dummyHash?: Promise<string>;

  constructor(private readonly options: PasswordHasherOptions) {
    this.limit = new ConcurrencyLimit(options.concurrency);
    this.pepper = options.pepper ? Buffer.from(options.pepper, "utf8") : undefined;
  }

  hash(password: string): Promise<string> {
    return this.limit.run(() =>
      argon2.hash(password, {
        type: argon2.argon2id,
        memoryCost: this.options.memoryKiB,
        timeCost: this.options.timeCost,
        parallelism: this.options.parallelism,
        secret: this.pepper,
      }),
    );
  }

  /**
   * Verifies `password` against `hash`, or, when there is no hash (unknown
   * account), against a dummy hash made with the live parameters, and
   * answers false.
   */
  async verifyOrDummy(hash: string | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.dummy());
    const matches = await this.limit.run(() => argon2.verify(target, password, { secret: this.pepper }));
    return hash !== undefined && matches;
  }

  /** True when `hash` was made with other parameters than the configured ones (then rehash on the next login). */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, { memoryCost: this.options.memoryKiB, timeCost: this.options.timeCost, parallelism: this.options.parallelism });
  }

  /** Makes the dummy hash ahead of the first login that needs it. */
  async warmUp(): Promise<void> {
    await this.dummy();
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(32).toString("base64url"));
    return this.dummyHash;
  }
}
