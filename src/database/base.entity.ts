import { randomUUID } from "node:crypto";
import { type Opt, PrimaryKey, Property } from "@mikro-orm/core";

/** id and timestamps shared by every table. */
export abstract class BaseEntity {
  @PrimaryKey({ type: "uuid" })
  id: string & Opt = randomUUID();

  @Property({ type: "datetime", columnType: "timestamptz(3)" })
  createdAt: Date & Opt = new Date();

  @Property({ type: "datetime", columnType: "timestamptz(3)", onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
