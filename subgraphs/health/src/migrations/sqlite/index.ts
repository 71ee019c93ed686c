import { Initial1795460405180 } from "./1795460405180-Initial";
import { AccessLogAndIdempotency1795461539618 } from "./1795461539618-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";

export const sqliteMigrations: Function[] = [Initial1795460405180, AccessLogAndIdempotency1795461539618, AccessLogAppendOnly1795461984306];
