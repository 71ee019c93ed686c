import { Initial1795460405122 } from "./1795460405122-Initial";
import { AccessLogAndIdempotency1795461539488 } from "./1795461539488-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { DisabilityCertificate1796156045538 } from "./1796156045538-DisabilityCertificate";
import { MarriageSpouseIndexesCover1796176473178 } from "./1796176473178-MarriageSpouseIndexesCover";

export const mysqlMigrations: Function[] = [Initial1795460405122, AccessLogAndIdempotency1795461539488, AccessLogAppendOnly1795461984306, DisabilityCertificate1796156045538, MarriageSpouseIndexesCover1796176473178];
