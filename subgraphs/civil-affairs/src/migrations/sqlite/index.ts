import { Initial1795460405129 } from "./1795460405129-Initial";
import { AccessLogAndIdempotency1795461539498 } from "./1795461539498-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { DisabilityCertificate1796156045611 } from "./1796156045611-DisabilityCertificate";
import { MarriageSpouseIndexesCover1796176473228 } from "./1796176473228-MarriageSpouseIndexesCover";

export const sqliteMigrations: Function[] = [Initial1795460405129, AccessLogAndIdempotency1795461539498, AccessLogAppendOnly1795461984306, DisabilityCertificate1796156045611, MarriageSpouseIndexesCover1796176473228];
