import { Initial1795460405034 } from "./1795460405034-Initial";
import { AccessLogAndIdempotency1795461539062 } from "./1795461539062-AccessLogAndIdempotency";
import { AccessLogAppendOnly1795461984306 } from "./1795461984306-AccessLogAppendOnly";
import { SocialMaintenanceFeeAndCareVisit1795462341630 } from "./1795462341630-SocialMaintenanceFeeAndCareVisit";
import { PopulationRegister1795462689800 } from "./1795462689800-PopulationRegister";
import { MigrantIdentity1795464339804 } from "./1795464339804-MigrantIdentity";
import { InterCountyNotice1796171381377 } from "./1796171381377-InterCountyNotice";

export const sqliteMigrations: Function[] = [Initial1795460405034, AccessLogAndIdempotency1795461539062, AccessLogAppendOnly1795461984306, SocialMaintenanceFeeAndCareVisit1795462341630, PopulationRegister1795462689800, MigrantIdentity1795464339804, InterCountyNotice1796171381377];
