/**
 * The eligibility, roster and migrant reports (DOMAIN.md §5 reports 4, 5, 6, 9) against the synthetic county's
 * ground truth: for each anomaly kind they cover, exactly the manifest's ids (precision and recall 1.0), at two
 * seeds and two anomaly rates, on SQLite and MariaDB, through the gateway.
 */
import { generateCounty } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type Platform } from "../helpers/platform";

const PROGRAMS = ["REWARD_ASSISTANCE", "SPECIAL_ASSISTANCE_CHILD_DECEASED", "SPECIAL_ASSISTANCE_CHILD_DISABLED"] as const;
const COUNTIES = [
  // Small counties whose draw gives every kind covered here at least one record.
  { countyCode: "522328", people: 2500, seed: 14, anomalyRate: 0.02 },
  { countyCode: "522328", people: 2500, seed: 15, anomalyRate: 0.05 },
];

const CANDIDATES = `query($r: String!, $p: AssistanceProgram!, $asOf: Date) {
  assistanceCandidates(regionCode: $r, program: $p, asOf: $asOf) {
    program eligible enrolled annualAmountYuan person { idNumber } facts { rule satisfied source detail }
  }
}`;
const ANOMALIES = `query($r: String!, $p: AssistanceProgram!, $asOf: Date) {
  assistanceAnomalies(regionCode: $r, program: $p, asOf: $asOf) {
    program eligible enrolled person { idNumber } facts { rule satisfied source }
  }
}`;
const OUTFLOW = `query($r: String!) { migrantsWithoutCertificate(regionCode: $r) { direction movedOn person { idNumber sex } certificate { number } } }`;
const INFLOW = `query($r: String!, $asOf: Date) { migrantCertificatesSubmittedLate(regionCode: $r, asOf: $asOf) { idNumber submitted daysAfterMove record { movedOn submittedAtDestinationOn } } }`;

const sorted = (list: string[]) => [...list].sort();

describe.each(dialectsUnderTest())("eligibility and migrant reports against the manifest on %s", (dialect) => {
  describe.each(COUNTIES)("county seed $seed, anomaly rate $anomalyRate", (options) => {
    const county = generateCounty(options);
    const manifest = county.manifest;
    const asOf = manifest.today;
    let platform: Platform | undefined;

    beforeAll(async () => {
      if (dialect === "mysql" && !(await isMysqlAvailable())) return;
      platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
    }, 240_000);

    afterAll(async () => {
      await platform?.stop();
    }, 60_000);

    it("assistanceCandidates(REWARD_ASSISTANCE) returns exactly the eligible people who are not enrolled", async () => {
      if (!platform) return;
      expect(manifest.kinds.eligibleNotEnrolled.ids.length).toBeGreaterThan(0);
      const data = expectNoErrors(await platform.query(CANDIDATES, { r: options.countyCode, p: "REWARD_ASSISTANCE", asOf }));
      const rows = data.assistanceCandidates;
      expect(sorted(rows.map((e: any) => e.person.idNumber))).toEqual(manifest.kinds.eligibleNotEnrolled.ids);
      for (const row of rows) {
        expect(row).toMatchObject({ program: "REWARD_ASSISTANCE", eligible: true, enrolled: false, annualAmountYuan: 960 });
        expect(row.facts.every((f: any) => f.satisfied && f.detail)).toBe(true);
        expect(new Set(row.facts.map((f: any) => f.source))).toEqual(new Set(["PUBLIC_SECURITY", "CIVIL_AFFAIRS", "POPULATION"]));
      }
    }, 120_000);

    it("assistanceAnomalies lists exactly the dead still enrolled (over the three programmes), each with the failing fact", async () => {
      if (!platform) return;
      expect(manifest.kinds.deceasedStillEnrolled.ids.length).toBeGreaterThan(0);
      const dead = new Set<string>();
      for (const program of PROGRAMS) {
        const rows = expectNoErrors(await platform.query(ANOMALIES, { r: options.countyCode, p: program, asOf })).assistanceAnomalies;
        for (const row of rows) {
          expect(row).toMatchObject({ program, eligible: false, enrolled: true });
          if (row.facts.some((f: any) => f.rule === "no death registered" && !f.satisfied && f.source === "CIVIL_AFFAIRS")) dead.add(row.person.idNumber);
        }
      }
      expect(sorted([...dead])).toEqual(manifest.kinds.deceasedStillEnrolled.ids);
    }, 120_000);

    it("the other 奖扶 anomalies are recipients the population register lost (refused on its missing birth count); no 失独 family is left off the roster", async () => {
      if (!platform) return;
      const anomalies = expectNoErrors(await platform.query(ANOMALIES, { r: options.countyCode, p: "REWARD_ASSISTANCE", asOf })).assistanceAnomalies;
      const deceased = new Set(manifest.kinds.deceasedStillEnrolled.ids);
      const lost = new Set(manifest.kinds.missingFromPopulationRegister.ids);
      const others = anomalies.filter((row: any) => !deceased.has(row.person.idNumber));
      for (const row of others) {
        expect(lost.has(row.person.idNumber)).toBe(true);
        expect(row.facts.filter((f: any) => !f.satisfied)).toEqual([{ rule: "one child or two daughters", satisfied: false, source: "POPULATION" }]);
      }
      const missing = expectNoErrors(await platform.query(CANDIDATES, { r: options.countyCode, p: "SPECIAL_ASSISTANCE_CHILD_DECEASED", asOf })).assistanceCandidates;
      expect(missing).toEqual([]);
      // Nor any 伤残 family: each holds its child's grade 1–3 残疾人证 (civil-affairs), so only the dead are anomalies.
      expect(expectNoErrors(await platform.query(CANDIDATES, { r: options.countyCode, p: "SPECIAL_ASSISTANCE_CHILD_DISABLED", asOf })).assistanceCandidates).toEqual([]);
      const disabled = expectNoErrors(await platform.query(ANOMALIES, { r: options.countyCode, p: "SPECIAL_ASSISTANCE_CHILD_DISABLED", asOf })).assistanceAnomalies;
      expect(disabled.filter((row: any) => !deceased.has(row.person.idNumber))).toEqual([]);
    }, 120_000);

    it("migrantsWithoutCertificate returns exactly the outflow women 18–49 who left without a 婚育证明", async () => {
      if (!platform) return;
      expect(manifest.kinds.migrantWithoutCertificate.ids.length).toBeGreaterThan(0);
      const rows = expectNoErrors(await platform.query(OUTFLOW, { r: options.countyCode })).migrantsWithoutCertificate;
      expect(sorted(rows.map((m: any) => m.person.idNumber))).toEqual(manifest.kinds.migrantWithoutCertificate.ids);
      for (const m of rows) expect(m).toMatchObject({ direction: "OUTFLOW", certificate: null, person: { sex: "FEMALE" } });
    }, 120_000);

    it("migrantCertificatesSubmittedLate returns exactly the inflow women whose certificate came late or never", async () => {
      if (!platform) return;
      expect(manifest.kinds.certificateSubmittedLate.ids.length).toBeGreaterThan(0);
      const rows = expectNoErrors(await platform.query(INFLOW, { r: options.countyCode, asOf })).migrantCertificatesSubmittedLate;
      expect(sorted(rows.map((m: any) => m.idNumber))).toEqual(manifest.kinds.certificateSubmittedLate.ids);
      for (const m of rows) expect(m.daysAfterMove).toBeGreaterThan(30);
    }, 120_000);
  });
});
