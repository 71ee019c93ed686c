import { Initial1795460405081 } from "./1795460405081-Initial";
import { AccessLogAndIdempotency1795461539244 } from "./1795461539244-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { HukouEvents1795462103845 } from "./1795462103845-HukouEvents";

export const mysqlMigrations: Function[] = [Initial1795460405081, AccessLogAndIdempotency1795461539244, AccessLogAppendOnly1795461984306, HukouEvents1795462103845];
