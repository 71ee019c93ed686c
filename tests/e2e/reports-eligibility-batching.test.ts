/**
 * The eligibility, migrant, statistics and visit reports cost the same number of SQL statements in every
 * department for a county of 2,500 and one of 6,000 people: each department is read in batches (one IN list, one
 * GROUP BY, one page of SERVICE_MAX_PAGE_SIZE), never once per person.
 */
import { DEPARTMENTS } from "../../shared/src/config";
import { generateCounty } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type Platform } from "../helpers/platform";

const CODE = "522328";
const TODAY = "2025-12-31";
const REPORTS: Record<string, [string, Record<string, unknown>]> = {
  assistanceCandidates: [
    `query($r: String!, $asOf: Date) { assistanceCandidates(regionCode: $r, program: REWARD_ASSISTANCE, asOf: $asOf) { eligible person { idNumber name } facts { rule } } }`,
    { r: CODE, asOf: TODAY },
  ],
  assistanceAnomalies: [
    `query($r: String!, $asOf: Date) { assistanceAnomalies(regionCode: $r, program: REWARD_ASSISTANCE, asOf: $asOf) { eligible person { idNumber name } facts { rule } } }`,
    { r: CODE, asOf: TODAY },
  ],
  migrantsWithoutCertificate: [`query($r: String!) { migrantsWithoutCertificate(regionCode: $r) { movedOn person { idNumber } } }`, { r: CODE }],
  migrantCertificatesSubmittedLate: [`query($r: String!, $asOf: Date) { migrantCertificatesSubmittedLate(regionCode: $r, asOf: $asOf) { idNumber daysAfterMove } }`, { r: CODE, asOf: TODAY }],
  migrantCounts: [`query($r: String!) { migrantCounts(regionCode: $r) { region { code } year inflow outflow } }`, { r: CODE }],
  sexRatioAtBirth: [`query($r: String!) { sexRatioAtBirth(regionCode: $r, year: 2018) { region { code name } male female ratio } }`, { r: CODE }],
  prePregnancyCheckCoverage: [`query($r: String!) { prePregnancyCheckCoverage(regionCode: $r, year: 2019) { target completed rate } }`, { r: CODE }],
  womenOfChildbearingAge: [`query($r: String!) { womenOfChildbearingAge(regionCode: $r, asOf: "2025-12-31") { region { code } women } }`, { r: CODE }],
  newMarriagesFollowUp: [`query($r: String!) { newMarriagesFollowUp(regionCode: $r, year: 2019) { marriages followUps { wife { idNumber } } } }`, { r: CODE }],
  careVisitList: [`query($r: String!) { careVisitList(regionCode: $r, asOf: "2025-12-31") { person { idNumber } onRelief } }`, { r: CODE }],
};

async function statementsPerReport(platform: Platform): Promise<Record<string, Record<string, number>>> {
  const result: Record<string, Record<string, number>> = {};
  for (const [name, [query, variables]] of Object.entries(REPORTS)) {
    expectNoErrors(await platform.query(query, variables)); // warm: migrations, caches, first-use statements
    const before = platform.statementCounts();
    const data = expectNoErrors(await platform.query(query, variables));
    const after = platform.statementCounts();
    expect({ name, rows: JSON.stringify(data).length > 40 }).toEqual({ name, rows: true });
    result[name] = Object.fromEntries(DEPARTMENTS.map((d) => [d, after[d] - before[d]]));
  }
  return result;
}

describe.each(dialectsUnderTest())("statements per report on %s", (dialect) => {
  it("do not grow with the county's size", async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    const counts: Record<string, Record<string, number>>[] = [];
    // Both draws hold a dead recipient still enrolled, so that the same (batched) lookups run in both.
    for (const people of [2500, 6000]) {
      const county = generateCounty({ countyCode: CODE, people, seed: 14, anomalyRate: 0.03 });
      const platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
      try {
        counts.push(await statementsPerReport(platform));
      } finally {
        await platform.stop();
      }
    }
    expect(counts[1]).toEqual(counts[0]);
    // And a report reads other departments at all only where it must (a department-local statistic stays local).
    expect(counts[0].sexRatioAtBirth).toMatchObject({ population: 0, "public-security": 0 });
  }, 300_000);
});
