import { InflightDeduplicator, isReadOnly } from "../../gateway/src/inflight";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("in-flight deduplication of subgraph reads", () => {
  it("sends one fetch for identical concurrent keys and gives each waiter its own copy", async () => {
    const dedup = new InflightDeduplicator<{ data: { n: number } }>();
    const answer = deferred<{ data: { n: number } }>();
    let calls = 0;
    const fetch = () => {
      calls++;
      return answer.promise;
    };
    const first = dedup.run("caller-a|query", fetch);
    const second = dedup.run("caller-a|query", fetch);
    answer.resolve({ data: { n: 1 } });
    const [a, b] = await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(b).toEqual(a);
    b.data.n = 2;
    expect(a.data.n).toBe(1);
    expect(dedup.size).toBe(0);
  });

  it("never shares between different keys (another caller or request) nor after the first answer", async () => {
    const dedup = new InflightDeduplicator<number>();
    let calls = 0;
    const fetch = async () => ++calls;
    await Promise.all([dedup.run("caller-a|request-1|q", fetch), dedup.run("caller-b|request-1|q", fetch), dedup.run("caller-a|request-2|q", fetch)]);
    await dedup.run("caller-a|request-1|q", fetch);
    expect(calls).toBe(4);
    expect(dedup.hits).toBe(0);
  });

  it("passes a failure to every waiter and forgets the key", async () => {
    const dedup = new InflightDeduplicator<number>();
    const failing = () => Promise.reject(new Error("down"));
    await expect(Promise.all([dedup.run("k", failing), dedup.run("k", failing)])).rejects.toThrow("down");
    expect(dedup.size).toBe(0);
  });

  it("treats only queries as shareable", () => {
    expect(isReadOnly("query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename } }")).toBe(true);
    expect(isReadOnly("{ person(id: \"x\") { name } }")).toBe(true);
    expect(isReadOnly("mutation ($input: RegisterDeathInput!) { registerDeath(input: $input) { deathDate } }")).toBe(false);
    expect(isReadOnly("# comment\nmutation { x }")).toBe(false);
    expect(isReadOnly("subscription { changes }")).toBe(false);
  });
});
