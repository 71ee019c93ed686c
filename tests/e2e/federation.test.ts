import { generateCounty, type County } from "../../shared/src/synthetic/county";
import { writeCounty } from "../../shared/src/synthetic/write";
import { dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";
import { expectNoErrors, startPlatform, type Platform } from "../helpers/platform";

const COUNTY = { countyCode: "522328", people: 1500, seed: 11 };

/** One document reading all four departments for every person of a page. */
const FOUR_DEPARTMENTS = `query FourDepartments($first: Int, $filter: PersonFilter) {
  people(filter: $filter, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id idNumber name sex birthDate status
      hukou { type registeredOn region { code name parent { name } } }
      residence { address }
      household { householdNumber address members { id } }
      maritalStatus
      marriages { registrationNumber kind registeredOn region { name } }
      birthsGiven { certificateNumber birthOrder sex hukouRegistration { registeredOn person { id } } }
      familyPlanning { associationMember onlyChildCertificates { number } birthPermits { number } assistance { program } migrations { direction } }
    }
  }
}`;

describe.each(dialectsUnderTest())("one graph over four departments, on %s", (dialect) => {
  let platform: Platform | undefined;
  let county: County;

  beforeAll(async () => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    county = generateCounty(COUNTY);
    platform = await startPlatform(dialect, { seed: (urls) => writeCounty(county, urls).then(() => undefined) });
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it("answers a query that touches all four departments with each department's own records", async () => {
    if (!platform) return;
    const persons = county.tables["public-security"].person;
    const births = county.tables.health.birthCertificate;
    const marriages = county.tables["civil-affairs"].marriageRecord;
    // A mother with registered children: identity (公安), marriages (民政), births (卫生), programmes (人口计生).
    const birth = births.find((b) => county.tables["public-security"].birthRegistration.some((r) => r.certificateNumber === b.certificateNumber) && marriages.some((m) => m.wifeIdNumber === b.motherIdNumber))!;
    const mother = persons.find((p) => p.idNumber === birth.motherIdNumber)!;
    const response = await platform.query(
      `query($n: String) { person(idNumber: $n) {
        id name idNumber hukou { type region { code level } } household { householdNumber members { id } }
        maritalStatus marriages { registrationNumber }
        birthsGiven { certificateNumber birthOrder hukouRegistration { registeredOn person { birthDate } } }
        familyPlanning { associationMember }
      } }`,
      { n: mother.idNumber },
    );
    const person = expectNoErrors(response).person;
    expect(person).toMatchObject({ id: mother.id, name: mother.name, idNumber: mother.idNumber });
    expect(person.hukou.region).toEqual({ code: mother.hukouRegionCode, level: "VILLAGE" });
    expect(person.household.members.map((m: { id: string }) => m.id)).toContain(mother.id);
    const expectedMarriages = marriages.filter((m) => m.wifeIdNumber === mother.idNumber).map((m) => m.registrationNumber).sort();
    expect(person.marriages.map((m: { registrationNumber: string }) => m.registrationNumber).sort()).toEqual(expectedMarriages);
    expect(["MARRIED", "DIVORCED", "WIDOWED"]).toContain(person.maritalStatus);
    const expectedBirths = births.filter((b) => b.motherIdNumber === mother.idNumber);
    expect(person.birthsGiven).toHaveLength(expectedBirths.length);
    const given = person.birthsGiven.find((b: { certificateNumber: string }) => b.certificateNumber === birth.certificateNumber);
    expect(given.birthOrder).toBe(birth.birthOrder);
    expect(given.hukouRegistration.person.birthDate).toBe(birth.birthDate);
    expect(typeof person.familyPlanning.associationMember).toBe("boolean");
  });

  it("pages people with a stable cursor and an exact totalCount", async () => {
    if (!platform) return;
    const town = county.tables["public-security"].person[0].hukouRegionCode.slice(0, 9);
    const expected = county.tables["public-security"].person.filter((p) => p.hukouRegionCode.startsWith(town)).map((p) => p.id).sort();
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const data: any = expectNoErrors(
        await platform.query(`query($r: String, $after: String) { people(filter: { regionCode: $r }, first: 50, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, { r: town, after }),
      );
      expect(data.people.totalCount).toBe(expected.length);
      seen.push(...data.people.nodes.map((n: { id: string }) => n.id));
      if (!data.people.pageInfo.hasNextPage) break;
      after = data.people.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  it("pages birth certificates and marriage records by region and date", async () => {
    if (!platform) return;
    const births = county.tables.health.birthCertificate.filter((b) => b.birthDate >= "2010-01-01" && b.birthDate <= "2019-12-31");
    const data = expectNoErrors(
      await platform.query(`{ birthCertificates(filter: { regionCode: "522328", bornFrom: "2010-01-01", bornTo: "2019-12-31" }, first: 5) { totalCount nodes { certificateNumber mother { id } hukouRegistration { registeredOn } } } }`),
    );
    expect(data.birthCertificates.totalCount).toBe(births.length);
    expect(data.birthCertificates.nodes).toHaveLength(5);
    const marriages = county.tables["civil-affairs"].marriageRecord.filter((m) => m.registeredOn >= "2000-01-01");
    const page = expectNoErrors(await platform.query(`{ marriageRecords(regionCode: "522328", from: "2000-01-01", first: 3) { totalCount nodes { registrationNumber husband { name } wife { name } } } }`));
    expect(page.marriageRecords.totalCount).toBe(marriages.length);
    const first = marriages.map((m) => m.registrationNumber).sort()[0];
    const firstRow = marriages.find((m) => m.registrationNumber === first)!;
    const husband = county.tables["public-security"].person.find((p) => p.id === firstRow.husbandPersonId);
    expect(page.marriageRecords.nodes[0].registrationNumber).toBe(first);
    expect(page.marriageRecords.nodes[0].husband?.name ?? null).toBe(husband?.name ?? null);
  });

  it("costs the same number of SQL statements per department for 10 people as for 200", async () => {
    if (!platform) return;
    // Women of child-bearing age: every page has marriages, births and registrations, so every path runs.
    const filter = { regionCode: "522328", sex: "FEMALE", bornFrom: "1975-01-01", bornTo: "1995-12-31" };
    const measure = async (first: number) => {
      const before = platform!.statementCounts();
      const data = expectNoErrors(await platform!.query(FOUR_DEPARTMENTS, { first, filter }));
      const after = platform!.statementCounts();
      const nodes = data.people.nodes as any[];
      expect(nodes).toHaveLength(first);
      expect(nodes.some((n) => n.birthsGiven?.length > 0 && n.marriages?.length > 0)).toBe(true);
      return Object.fromEntries(Object.keys(after).map((d) => [d, after[d as keyof typeof after] - before[d as keyof typeof before]]));
    };
    const ten = await measure(10);
    const twoHundred = await measure(200);
    expect(twoHundred).toEqual(ten);
    for (const count of Object.values(ten)) expect(count).toBeGreaterThan(0);
  });
});
