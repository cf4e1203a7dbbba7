import { Check, Entity, Enum, Index, Property, Unique } from "@mikro-orm/core";
import { BaseEntity } from "../database/base.entity";
import { Role } from "./role";

@Entity({ tableName: "users" })
@Index({ name: "users_created_at_index", properties: ["createdAt", "id"] })
@Check({ name: "users_email_lower_case", expression: "email = lower(email)" })
export class User extends BaseEntity {
  /** Always stored lower-cased, so uniqueness is case-insensitive. */
  @Property({ type: "text" })
  @Unique({ name: "users_email_unique" })
  email!: string;

  @Property({ type: "text", hidden: true, lazy: true })
  passwordHash!: string;

  @Enum({ items: () => Role, array: true, default: [Role.USER] })
  roles: Role[] = [Role.USER];

  constructor(email: string, passwordHash: string, roles: Role[] = [Role.USER]) {
    super();
    this.email = email;
    this.passwordHash = passwordHash;
    this.roles = roles;
  }
}
