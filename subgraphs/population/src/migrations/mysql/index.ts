import { Initial1795460405016 } from "./1795460405016-Initial";
import { AccessLogAndIdempotency1795461539025 } from "./1795461539025-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { SocialMaintenanceFeeAndCareVisit1795462341591 } from "./1795462341591-SocialMaintenanceFeeAndCareVisit";
import { PopulationRegister1795462689734 } from "./1795462689734-PopulationRegister";
import { MigrantIdentity1795464339755 } from "./1795464339755-MigrantIdentity";
import { InterCountyNotice1796171381280 } from "./1796171381280-InterCountyNotice";

export const mysqlMigrations: Function[] = [Initial1795460405016, AccessLogAndIdempotency1795461539025, AccessLogAppendOnly1795461984306, SocialMaintenanceFeeAndCareVisit1795462341591, PopulationRegister1795462689734, MigrantIdentity1795464339755, InterCountyNotice1796171381280];
