import { Initial1795460405174 } from "./1795460405174-Initial";
import { AccessLogAndIdempotency1795461539611 } from "./1795461539611-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";

export const mysqlMigrations: Function[] = [Initial1795460405174, AccessLogAndIdempotency1795461539611, AccessLogAppendOnly1795461984306];
