// Used by the MikroORM CLI (`npm run migration:create`); the service builds its own options from config.
import { ormOptions } from "./src/database/orm";

export default ormOptions(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/auth", 1, { queryTimeout: false });
