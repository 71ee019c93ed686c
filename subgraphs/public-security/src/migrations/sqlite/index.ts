import { Initial1795460405085 } from "./1795460405085-Initial";
import { AccessLogAndIdempotency1795461539259 } from "./1795461539259-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { HukouEvents1795462103912 } from "./1795462103912-HukouEvents";

export const sqliteMigrations: Function[] = [Initial1795460405085, AccessLogAndIdempotency1795461539259, AccessLogAppendOnly1795461984306, HukouEvents1795462103912];
