import { Entity, Index, ManyToOne, type Opt, Property, type Ref } from "@mikro-orm/core";
import { BaseEntity } from "../database/base.entity";
import { User } from "../users/user.entity";

/**
 * One signed-in device. It holds token ids, never tokens: a database dump
 * cannot be replayed without the signing secret.
 */
@Entity({ tableName: "sessions" })
export class Session extends BaseEntity {
  @ManyToOne(() => User, { ref: true, deleteRule: "cascade" })
  @Index({ name: "sessions_user_id_index" })
  user!: Ref<User>;

  /** jti of the one refresh token that may still be exchanged. */
  @Property({ type: "uuid" })
  refreshJti!: string;

  /** jti of the access token issued with the current refresh token. */
  @Property({ type: "uuid" })
  accessJti!: string;

  /** jti of the refresh token exchanged last; repeats of it within the grace window get the current pair again. */
  @Property({ type: "uuid", nullable: true })
  previousRefreshJti: (string & Opt) | null = null;

  /** When the current pair was issued, to the millisecond: the grace window counts from here; the pair's `iat` is its whole seconds. */
  @Property({ type: "datetime", columnType: "timestamptz(3)" })
  issuedAt!: Date;

  @Property({ type: "datetime", columnType: "timestamptz(3)" })
  expiresAt!: Date;

  @Property({ type: "datetime", columnType: "timestamptz(3)", nullable: true })
  revokedAt: (Date & Opt) | null = null;
}
