import { composeSupergraph } from "../../shared/scripts/compose";
import { readCommittedSupergraph } from "../../gateway/src/supergraph";

describe("static supergraph", () => {
  it("composes from the four subgraphs without errors and matches the committed gateway/supergraph.graphql", async () => {
    const composed = await composeSupergraph();
    // A stale file means a subgraph changed without `npm run compose`: the gateway would plan against old schemas.
    expect(readCommittedSupergraph()).toBe(composed);
  });

  it("keeps the contract's core names", async () => {
    const sdl = readCommittedSupergraph();
    for (const name of [
      "type Person",
      "type Region",
      "type Household",
      "type MarriageRecord",
      "type BirthCertificate",
      "type FamilyPlanningProfile",
      "hukouRegistration: HukouRegistration",
      "birthsGiven: [BirthCertificate!]",
      "maritalStatus: MaritalStatus",
      "familyPlanning: FamilyPlanningProfile",
      "people(",
      "marriageRecords(",
      "birthCertificates(",
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
