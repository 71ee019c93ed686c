/**
 * `npm run --silent token -- --dept health --region 522328 [--scope "..."] [--sub clerk-01] [--expires 8h]`
 * prints a signed access token (HS256 with JWT_SECRET) for trying the platform.
 */
import { isCallerDepartment } from "../src/auth/caller";
import { defaultScopes } from "../src/auth/grants";
import { issueAccessToken } from "../src/auth/tokens";
import { secret } from "../src/config";

function argument(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const dept = argument(args, "dept") ?? "population";
  if (!isCallerDepartment(dept)) {
    console.error(`--dept must be one of population, public_security, civil_affairs, health, analyst, partner, auditor, citizen`);
    process.exit(2);
  }
  const token = await issueAccessToken(
    {
      sub: argument(args, "sub") ?? `${dept}-clerk`,
      dept,
      // Without --scope the token carries everything the grant table allows the department.
      scope: argument(args, "scope") ?? defaultScopes(dept).join(" "),
      region: argument(args, "region") ?? "",
      personId: argument(args, "person-id"),
    },
    secret("JWT_SECRET"),
    argument(args, "expires") ?? "8h",
  );
  console.log(token);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
