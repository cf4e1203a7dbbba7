// Writes schema/schema.graphql from the type-graphql classes (`npm run schema`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { printAppSchema } from "../src/schema";

const target = join(__dirname, "..", "schema", "schema.graphql");

printAppSchema().then((sdl) => {
  writeFileSync(target, sdl);
  process.stdout.write(`wrote ${target}\n`);
});
